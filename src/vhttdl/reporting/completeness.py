"""Completeness and timeliness (DHIS2's reporting rates): who submitted, on time or late, by level.

A unit is *expected* for a period when it is of a submitting kind and exists at the period's end
(so the 63 former departments are expected up to June 2025 and the 34 current ones after).
"Submitted" means submitted, approved or accepted; "on time" means submitted by the deadline.
Everything is read in a few queries and scoped to what the actor may view.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import DomainError
from vhttdl.core.text.safety import export_cell
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.selectors import tree_order
from vhttdl.reporting import permissions
from vhttdl.reporting.models import Period, ReportForm, Submission
from vhttdl.reporting.periods import (
    parse_period,
    period_containing,
    period_label,
    periods_for_codes,
    previous_period_code,
)

_LAST = "9"  # after every sort key: the Ministry's own units close the lists
DONE = {Submission.Status.SUBMITTED, Submission.Status.APPROVED, Submission.Status.ACCEPTED}


@dataclass
class Cell:
    expected: bool
    status: str = "missing"  # a Submission.Status value, or "missing"
    is_late: bool = False
    submission_id: int | None = None

    @property
    def css(self) -> str:
        if not self.expected:
            return ""
        return f"m-{self.status}" + (" m-late" if self.is_late else "")

    @property
    def label(self) -> str:
        """The status in words, in the page's language ("Đã nộp (muộn)"), never the raw code."""
        return status_label(self)


@dataclass
class Row:
    organisation: Organisation
    cells: list[Cell]
    cells_html: SafeString | None = None  # the matrix's <td>s of this row (`write_cells`), when asked for


@dataclass
class Rate:
    label: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    sort: str = ""  # the group's Vietnamese sort key

    @property
    def rate(self) -> float:
        return round(100 * self.submitted / self.expected, 1) if self.expected else 0.0

    @property
    def timely_rate(self) -> float:
        return round(100 * self.on_time / self.expected, 1) if self.expected else 0.0


@dataclass
class Completeness:
    form: ReportForm
    periods: list[Period]
    rows: list[Row]
    by_period: list[Rate]
    by_department: list[Rate] = field(default_factory=list)
    by_province: list[Rate] = field(default_factory=list)
    national: Rate | None = None


def _expected_units(
    form: ReportForm, periods: list[Period], actor: Any, under: Organisation | None
) -> list[Organisation]:
    kinds = form.submitter_kinds or [Organisation.Kind.DEPARTMENT]
    first, last = periods[0], periods[-1]
    qs = (
        Organisation.objects.filter(kind__in=kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last.end_date))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first.end_date))
        .exclude(pk__in=form.excluded_units.values("pk"))
    )
    condition = permissions.view_condition(actor, via="")
    if condition is not None:
        qs = qs.filter(condition)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return tree_order(qs.select_related("area", "parent"))


def _department_above(unit: Organisation) -> Organisation | None:
    """The department a unit belongs to (its parent, read with it), None for the Ministry's own units."""
    parent = unit.parent if unit.parent_id else None
    return parent if parent is not None and parent.kind == Organisation.Kind.DEPARTMENT else None


def _is_expected(unit: Organisation, period: Period) -> bool:
    return (unit.valid_from is None or unit.valid_from <= period.end_date) and (
        unit.valid_to is None or unit.valid_to >= period.end_date
    )


def completeness(
    *, actor: Any, form: ReportForm, periods: list[Period], under: Organisation | None = None
) -> Completeness:
    units = _expected_units(form, periods, actor, under) if periods else []
    found = {
        (org_id, period_id): (pk, status, late)
        for pk, org_id, period_id, status, late in Submission.objects.filter(
            form=form,
            period__in=periods,
            organisation__in=units,
        ).values_list("pk", "organisation_id", "period_id", "status", "is_late")
    }
    by_period = [Rate(p.code) for p in periods]
    by_department: dict[int | None, Rate] = {}
    by_province: dict[int | None, Rate] = {}
    national = Rate(_("Toàn quốc"))
    ministry_units = _("Đơn vị thuộc Bộ")
    language = get_language()
    rows = []
    for unit in units:
        cells = []
        department = unit if unit.kind == Organisation.Kind.DEPARTMENT else _department_above(unit)
        dept_key = department.pk if department else None
        if dept_key not in by_department:
            by_department[dept_key] = (
                Rate(department.display_name(language), sort=department.sort_name)
                if department
                else Rate(ministry_units, sort=_LAST)
            )
        area = unit.area if unit.area_id else None
        province_key = area.pk if area else None
        if province_key not in by_province:
            by_province[province_key] = (
                Rate(area.short_name or area.name, sort=area.sort_name) if area else Rate(ministry_units, sort=_LAST)
            )
        for index, period in enumerate(periods):
            if not _is_expected(unit, period):
                cells.append(Cell(expected=False))
                continue
            pk, status, late = found.get((unit.pk, period.pk), (None, "missing", False))
            cells.append(Cell(True, status, late, pk))
            done = status in DONE
            timely = done and not late
            for rate in (
                by_period[index],
                by_department[dept_key],
                by_province[province_key],
                national,
            ):
                rate.expected += 1
                rate.submitted += int(done)
                rate.on_time += int(timely)
        rows.append(Row(unit, cells))
    return Completeness(
        form,
        periods,
        rows,
        by_period,
        sorted(by_department.values(), key=lambda r: (r.sort, r.label)),
        sorted(by_province.values(), key=lambda r: (r.sort, r.label)),
        national,
    )


# --- the page's choices: which form, which periods, under which unit -----------------------------

DEFAULT_SPAN = {"monthly": 12, "quarterly": 8, "half_yearly": 4, "nine_months": 3, "yearly": 3}
MAX_SPAN = 60


@dataclass
class Choice:
    """What the completeness page shows, read from its query string."""

    forms: list[ReportForm]
    form: ReportForm | None
    periods: list[Period]
    under: Organisation | None
    error: str = ""


def period_codes(form: ReportForm, *, first: str = "", last: str = "", on: date) -> tuple[list[str], str]:
    """Codes from `first` to `last`, oldest first, and an error message ("" when the range is good).

    Default: the form's usual span (12 months, 8 quarters...) up to the period holding `on`. At
    most MAX_SPAN periods. A bad or mismatched code falls back to the current period, with a message.
    """
    last = last or period_containing(form.period_type, on)
    try:
        last_p = parse_period(last)
        if last_p.period_type != form.period_type:
            raise DomainError(_("Kỳ «%(code)s» không cùng loại kỳ với biểu.") % {"code": last})
        codes = [last_p.code]
        first_code = parse_period(first).code if first else None
        limit = MAX_SPAN if first_code else DEFAULT_SPAN.get(form.period_type, 12)
        while len(codes) < limit and codes[-1] != first_code:
            codes.append(previous_period_code(codes[-1]))
    except DomainError as exc:
        return [period_containing(form.period_type, on)], exc.message
    codes.reverse()
    return codes, ""


def completeness_choice(*, form_code: str = "", first: str = "", last: str = "", under_code: str = "",
                        on: date) -> Choice:
    """The forms the page offers (active, periodic), the chosen one (the first by default), its periods
    and the unit to look under (by code; unknown codes are ignored)."""
    forms = list(ReportForm.objects.filter(is_active=True).exclude(period_type="ad_hoc").order_by("code"))
    form = next((f for f in forms if f.code == form_code), forms[0] if forms else None)
    under = Organisation.objects.filter(code=under_code).first() if under_code else None
    if form is None:
        return Choice(forms, None, [], under)
    codes, error = period_codes(form, first=first, last=last, on=on)
    periods = periods_for_codes(codes)
    return Choice(forms, form, [periods[c] for c in codes], under, error)


PICKER_YEARS = 6  # how far back the period pickers reach (a range chosen further back stays offered)


PeriodGroups = list[tuple[str, Sequence[tuple[str, str]]]]  # (year, [(code, name)]) for a picker


def period_picker(form: ReportForm, *, on: date, keep: tuple[str, ...] = ()) -> PeriodGroups:
    """The form's periods for the from/to pickers: (year, [(code, name)]), newest first, named in the
    reader's language ("Tháng 01/2025", "Quý 1/2025"...), from the period holding `on` back
    PICKER_YEARS years. Codes in `keep` (the range shown) outside that span are offered first."""
    groups = _picker_groups(form.period_type, period_containing(form.period_type, on), get_language())
    listed = {code for _year, options in groups for code, _label in options}
    extra = [(code, period_label(parse_period(code))) for code in dict.fromkeys(keep) if code not in listed]
    return [(_("Kỳ đã chọn"), extra), *groups] if extra else list(groups)


@lru_cache(maxsize=64)
def _picker_groups(period_type: str, newest: str, language: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The named periods of one type back from `newest`, grouped by year; kept per process (they only
    change with the period type, the current period and the language)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    code = newest
    oldest = parse_period(newest).start_date.year - PICKER_YEARS + 1
    with translation.override(language):
        while True:
            parsed = parse_period(code)
            if parsed.start_date.year < oldest:
                break
            groups.setdefault(str(parsed.start_date.year), []).append((parsed.code, period_label(parsed)))
            code = previous_period_code(code)
    return tuple((year, tuple(options)) for year, options in groups.items())


def unit_choices(actor: Any) -> list[Organisation]:
    """The units the page can look under: the Ministry and the departments in the actor's scope,
    former ones (before the 2025 merger) included, in tree order."""
    qs = Organisation.objects.filter(kind__in=[Organisation.Kind.MINISTRY, Organisation.Kind.DEPARTMENT])
    condition = permissions.view_condition(actor, via="")
    if condition is not None:
        qs = qs.filter(condition)
    return tree_order(qs)


def status_label(cell: Cell) -> str:
    if not cell.expected:
        return ""
    if cell.status == "missing":
        return _("Chưa nộp")
    label = str(Submission.Status(cell.status).label)
    return f"{label} ({_('muộn')})" if cell.is_late else label


def export_rows(report: Completeness) -> tuple[list[str], list[list[Any]]]:
    header = [_("Mã đơn vị"), _("Đơn vị"), *[p.code for p in report.periods]]
    language = get_language()
    rows = [
        [export_cell(r.organisation.code), export_cell(r.organisation.display_name(language)),
         *[status_label(c) for c in r.cells]]
        for r in report.rows
    ]
    return header, rows


def export_csv(report: Completeness) -> bytes:
    header, rows = export_rows(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_safe(header))
    writer.writerows(_safe(row) for row in rows)
    writer.writerow([])
    writer.writerow(_safe([_("Kỳ"), _("Phải nộp"), _("Đã nộp"), _("Đúng hạn"), _("Tỷ lệ nộp (%)"),
                           _("Tỷ lệ đúng hạn (%)")]))
    for rate in [*report.by_period, report.national]:
        if rate is not None:
            writer.writerow([export_cell(rate.label), rate.expected, rate.submitted, rate.on_time, rate.rate,
                             rate.timely_rate])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Vietnamese CSV correctly


def _safe(values) -> list:
    """Cells as every export writes them: formulas neutralised, characters Excel cannot hold dropped."""
    return [export_cell(v) for v in values]


def export_xlsx(report: Completeness) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    fills = {
        "accepted": "1F7A3A",
        "approved": "5FAE73",
        "submitted": "F2C94C",
        "returned": "E8827A",
        "draft": "DBE4F3",
    }
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tình hình nộp")[:31]
    header, rows = export_rows(report)
    sheet.append([export_cell(f"{report.form.code} · {report.form.title}")])
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row, source in zip(rows, report.rows, strict=True):
        sheet.append(_safe(row))
        for index, cell in enumerate(source.cells):
            if cell.expected and cell.status in fills:
                sheet.cell(row=sheet.max_row, column=3 + index).fill = PatternFill("solid", fgColor=fills[cell.status])
    sheet.column_dimensions["B"].width = 48
    rates = book.create_sheet(_("Tỷ lệ")[:31])
    rates.append([_("Nhóm"), _("Phải nộp"), _("Đã nộp"), _("Đúng hạn"), _("Tỷ lệ nộp (%)"), _("Tỷ lệ đúng hạn (%)")])
    for title, group in (
        (_("Theo kỳ"), report.by_period),
        (_("Theo Sở"), report.by_department),
        (_("Theo tỉnh"), report.by_province),
        (_("Toàn quốc"), [report.national]),
    ):
        rates.append(_safe([title]))
        rates.cell(row=rates.max_row, column=1).font = Font(bold=True)
        for rate in group:
            if rate is not None:
                rates.append([export_cell(rate.label), rate.expected, rate.submitted, rate.on_time, rate.rate,
                              rate.timely_rate])
    rates.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_MARKS = {"accepted": "✓✓", "approved": "✓", "submitted": "●", "returned": "↩"}
_PK_MARK = 987654321  # stands for a report's id in its link, made once per page


def write_cells(report: Completeness) -> None:
    """Give every row its matrix cells as `<td>`s (`Row.cells_html`): a status mark linking to the
    report, its status in words for screen readers. Written here rather than by the template, whose
    per-cell tags and link reversing made most of the page's time at the national level."""
    link = reverse("reporting:submission", args=[_PK_MARK])
    missing = escape(_("Chưa nộp"))
    labels: dict[tuple[str, bool], str] = {}
    for row in report.rows:
        parts = []
        for cell in row.cells:
            if not cell.expected:
                parts.append('<td class="m "></td>')
            elif cell.submission_id:
                label = labels.get((cell.status, cell.is_late))
                if label is None:
                    label = labels[(cell.status, cell.is_late)] = escape(cell.label)
                href = escape(link.replace(str(_PK_MARK), str(int(cell.submission_id))))
                parts.append(
                    f'<td class="m {escape(cell.css)}"><a href="{href}" title="{label}">'
                    f'{_MARKS.get(cell.status, "…")}<span class="visually-hidden"> {label}</span></a></td>'
                )
            else:
                parts.append(f'<td class="m {escape(cell.css)}">–<span class="visually-hidden">{missing}</span></td>')
        row.cells_html = mark_safe("".join(parts))  # noqa: S308 - every value written into it is escaped


def group_counts(report: Completeness) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in report.rows:
        for cell in row.cells:
            if cell.expected:
                counts[cell.status] += 1
    return dict(counts)
