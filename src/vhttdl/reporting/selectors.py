"""Every read of reports that a person sees, already scoped (rules in `permissions.py`).

`submission_list`, `get_submission_for_actor` and `datavalue_list` are also what the analytics,
exchange and forwarding sub-apps reuse, so that one scoping rule holds everywhere.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import granted_paths
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.models import (
    CategoryComboMembership,
    CategoryOptionCombo,
    DataElement,
    DataValue,
    FormVersion,
    Period,
    ReportForm,
    Submission,
    SubmissionEvent,
    ValidationRule,
)

if TYPE_CHECKING:
    from collections.abc import Iterable


def _scoped(queryset: QuerySet, actor: Any, via: str = "organisation") -> QuerySet:
    condition = permissions.view_condition(actor, via=via)
    return queryset if condition is None else queryset.filter(condition)


def _under_grants(qs: QuerySet, actor: Any, action: str, via: str) -> QuerySet:
    """Rows whose unit reached through `via` lies under one of the actor's grants for `action`."""
    if permissions.is_superuser(actor):
        return qs
    paths = granted_paths(actor, action)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{via}__path__startswith": path})
    return qs.filter(condition)


def submission_list(
    *,
    actor: Any,
    form: ReportForm | str | None = None,
    period: Period | str | None = None,
    organisation: Organisation | None = None,
    subtree_of: Organisation | None = None,
    status: str | Iterable[str] | None = None,
    is_late: bool | None = None,
    action: str = ReportingAction.VIEW,
) -> QuerySet[Submission]:
    """Submissions the actor may see (and, for `action` enter/approve/accept, act on), filtered.

    `form` and `period` take a row or a code. `organisation` is exact; `subtree_of` takes a unit
    and everything below it.
    """
    qs = _scoped(Submission.objects.all(), actor)
    if action == ReportingAction.ENTER:
        qs = qs.filter(status__in=permissions.ENTRY_STATUSES)
        if not permissions.is_superuser(actor):
            qs = qs.filter(organisation_id__in=permissions.entry_organisation_ids(actor))
    elif action == ReportingAction.APPROVE:
        qs = qs.filter(status=Submission.Status.SUBMITTED, organisation__parent__isnull=False)
        if not permissions.is_superuser(actor):
            # Units below a department: a grant at the parent or above. Units right under the
            # Ministry: a grant at the unit itself (see permissions.can_approve).
            below = _under_grants(qs, actor, ReportingAction.APPROVE, "organisation__parent").filter(
                organisation__parent__parent__isnull=False
            )
            own = qs.filter(
                organisation__parent__parent__isnull=True,
                organisation_id__in=permissions.approve_own_ids(actor),
            )
            qs = below | own
    elif action == ReportingAction.ACCEPT:
        qs = qs.filter(status=Submission.Status.APPROVED)
        qs = _under_grants(qs, actor, ReportingAction.ACCEPT, "organisation")
    if form is not None:
        qs = qs.filter(form__code=form) if isinstance(form, str) else qs.filter(form=form)
    if period is not None:
        qs = qs.filter(period__code=period) if isinstance(period, str) else qs.filter(period=period)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if subtree_of is not None:
        qs = qs.filter(organisation__path__startswith=subtree_of.path)
    if status:
        qs = qs.filter(status=status) if isinstance(status, str) else qs.filter(status__in=list(status))
    if is_late is not None:
        qs = qs.filter(is_late=is_late)
    return qs.select_related("form", "period", "organisation", "form_version")


# Reports list departments before their units, each level in Vietnamese order (core.text.collation).
UNIT_ORDER = ("organisation__depth", "organisation__sort_name", "organisation__code")


def report_periods(*, keep: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Periods that have reports, for a picker: (year, [(code, name)]), newest first, names in the
    reader's language ("Tháng 01/2025", "Quý 1/2025"...). A code in `keep` (from a link) that no report
    has is offered first, so a filter once chosen stays visible."""
    from vhttdl.reporting.periods import period_label

    groups: dict[str, list[tuple[str, str]]] = {}
    codes: set[str] = set()
    for period in Period.objects.filter(submissions__isnull=False).distinct().order_by("-start_date", "-end_date"):
        groups.setdefault(str(period.start_date.year), []).append((period.code, period_label(period)))
        codes.add(period.code)
    options = list(groups.items())
    if keep and keep not in codes:
        options.insert(0, (_("Kỳ đã chọn"), [(keep, keep)]))
    return options


def submission_search(
    *,
    actor: Any,
    form: str | None = None,
    period: str | None = None,
    status: str | None = None,
    late: bool = False,
    overdue: bool = False,
    q: str = "",
    today: date,
) -> QuerySet[Submission]:
    """The "all reports" list: reports the actor may see, filtered as the page offers, newest period first."""
    qs = submission_list(
        actor=actor, form=form, period=period, status=status if status in Submission.Status.values else None
    )
    if late:
        qs = qs.filter(is_late=True)
    if overdue:
        qs = qs.filter(status__in=permissions.ENTRY_STATUSES, deadline__lt=today)
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(organisation__code__iexact=q))
    return qs.order_by("-period__start_date", "form__code", *UNIT_ORDER)


def get_submission_for_actor(actor: Any, pk: int, action: str = ReportingAction.VIEW) -> Submission:
    """The submission, if the actor may see it (404 otherwise) and take `action` on it (403 otherwise)."""
    try:
        # Not the people who submitted, approved or accepted it: no page shows them, and every join
        # added to this query lengthens PostgreSQL's planning of it, on every report page.
        submission = Submission.objects.select_related(
            "form", "period", "organisation", "organisation__parent", "form_version"
        ).get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy báo cáo.")) from None
    if not permissions.can_view(actor, submission):
        raise Http404(_("Không tìm thấy báo cáo."))
    checks = {
        ReportingAction.VIEW: lambda: True,
        ReportingAction.ENTER: lambda: permissions.can_enter_for(actor, submission.organisation),
        ReportingAction.APPROVE: lambda: permissions.can_approve(actor, submission),
        ReportingAction.ACCEPT: lambda: permissions.can_accept(actor, submission),
    }
    if not checks.get(action, lambda: False)():
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với báo cáo này."))
    return submission


def datavalue_list(
    *,
    actor: Any,
    form: ReportForm | str | None = None,
    periods: Iterable[Period] | None = None,
    organisations: Iterable[Organisation] | None = None,
    subtree_of: Organisation | None = None,
    data_elements: Iterable[DataElement | str] | None = None,
    statuses: Iterable[str] | None = None,
    submission: Submission | None = None,
) -> QuerySet[DataValue]:
    """Data values the actor may see, filtered; scoped through the value's own (denormalised) unit."""
    qs = _scoped(DataValue.objects.all(), actor)
    if submission is not None:
        qs = qs.filter(submission=submission)
    if form is not None:
        qs = qs.filter(submission__form__code=form) if isinstance(form, str) else qs.filter(submission__form=form)
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    if organisations is not None:
        qs = qs.filter(organisation__in=list(organisations))
    if subtree_of is not None:
        qs = qs.filter(organisation__path__startswith=subtree_of.path)
    if data_elements is not None:
        items = list(data_elements)
        codes = [d for d in items if isinstance(d, str)]
        rows = [d for d in items if not isinstance(d, str)]
        qs = qs.filter(Q(data_element__in=rows) | Q(data_element__code__in=codes))
    if statuses is not None:
        qs = qs.filter(submission__status__in=list(statuses))
    return qs.select_related("data_element", "category_option_combo", "period", "organisation")


# --- forms and metadata -------------------------------------------------------------------------


def element_catalogue(language: str) -> list[dict]:
    """Every data element with the columns its disaggregation gives, for the layout builder's picker.

    Two-category numeric elements are shown as the entry grid shows them: options of the first
    category as sub-rows, of the second as columns (see `presenters._matrix`). Four queries in all.
    """
    elements = list(DataElement.objects.select_related("category_combo").order_by("code"))
    combo_ids = {e.category_combo_id for e in elements}
    columns: dict[int, list[CategoryOptionCombo]] = {}
    for coc in (
        CategoryOptionCombo.objects.filter(combo_id__in=combo_ids)
        .prefetch_related("options")
        .order_by("combo_id", "sort_order", "code")
    ):
        columns.setdefault(coc.combo_id, []).append(coc)
    categories: dict[int, list[int]] = {}
    for combo_id, category_id in (
        CategoryComboMembership.objects.filter(combo_id__in=combo_ids)
        .order_by("combo_id", "sort_order")
        .values_list("combo_id", "category_id")
    ):
        categories.setdefault(combo_id, []).append(category_id)
    value_types = dict(DataElement.ValueType.choices)
    catalogue = []
    for element in elements:
        cocs = columns.get(element.category_combo_id, [])
        matrix = None
        combo_categories = categories.get(element.category_combo_id, [])
        if len(combo_categories) == 2 and element.is_numeric:
            first, second = combo_categories
            sub_rows: dict[int, str] = {}
            cols: dict[int, str] = {}
            for coc in cocs:
                options = {o.category_id: o for o in coc.options.all()}
                if first not in options or second not in options:
                    sub_rows = {}
                    break
                sub_rows.setdefault(options[first].pk, options[first].label(language))
                cols.setdefault(options[second].pk, options[second].label(language))
            if sub_rows:
                matrix = {"rows": list(sub_rows.values()), "cols": list(cols.values())}
        catalogue.append(
            {
                "code": element.code,
                "name": element.label(language),
                "unit": (
                    element.unit_of_measure_en
                    if language == "en" and element.unit_of_measure_en
                    else element.unit_of_measure
                ),
                "value_type": str(value_types.get(element.value_type, element.value_type)),
                "combo": element.category_combo.label(language),
                "columns": [c.label(language) for c in cocs],
                "matrix": matrix,
            }
        )
    return catalogue


def form_list(*, actor: Any, active_only: bool = False, q: str | None = None) -> QuerySet[ReportForm]:
    """Forms are public metadata inside the platform: every signed-in official may read them."""
    qs = ReportForm.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs.annotate(version_count=Count("versions", distinct=True)).prefetch_related(
        Prefetch(
            "versions",
            queryset=FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED),
            to_attr="published_versions",
        )
    )


def get_form(code_or_pk: str | int) -> ReportForm:
    try:
        if isinstance(code_or_pk, int) or str(code_or_pk).isdigit():
            return ReportForm.objects.get(pk=int(code_or_pk))
        return ReportForm.objects.get(code=code_or_pk)
    except ReportForm.DoesNotExist:
        raise Http404(_("Không tìm thấy biểu mẫu.")) from None


def published_version(form: ReportForm) -> FormVersion | None:
    return form.versions.filter(status=FormVersion.Status.PUBLISHED).first()


def forms_for_unit(organisation: Organisation, *, on: date | None = None) -> QuerySet[ReportForm]:
    """The active forms this kind of unit submits (a form with no submitter kinds: departments)."""
    forms = ReportForm.objects.filter(is_active=True).order_by("code")
    return ReportForm.objects.filter(pk__in=[f.pk for f in forms if submits(f, organisation)]).order_by("code")


def submits(form: ReportForm, organisation: Organisation, *, excluded_ids: Collection[int] | None = None) -> bool:
    """Does this unit submit `form`? Its kind is a submitting kind and the form does not exclude it.

    Bulk callers pass the form's excluded unit ids, loaded once, to spare a query per unit.
    """
    kinds = form.submitter_kinds or [Organisation.Kind.DEPARTMENT]
    if organisation.kind not in kinds:
        return False
    if excluded_ids is not None:
        return organisation.pk not in excluded_ids
    return not form.excluded_units.filter(pk=organisation.pk).exists()


def expected_submitters(
    form: ReportForm, period: Period, *, under: Organisation | None = None
) -> QuerySet[Organisation]:
    """Units that must submit `form` for `period`: of a submitting kind, existing during the period.

    A unit merged away mid-period (closed 30 Jun 2025) is expected for the periods it lived
    through; its successor is expected from its first day.
    """
    kinds = form.submitter_kinds or [Organisation.Kind.DEPARTMENT]
    qs = (
        Organisation.objects.filter(kind__in=kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end_date))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.end_date))
    )
    qs = qs.exclude(pk__in=form.excluded_units.values("pk"))
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs.order_by("sort_name", "code")


def form_layout(version: FormVersion) -> FormLayout:
    """The grid of a form version: sections, rows (elements) and their columns (option combos)."""
    elements = {e.code: e for e in version.data_elements.select_related("category_combo")}
    combos = {}
    combo_ids = {e.category_combo_id for e in elements.values()}
    for coc in (
        CategoryOptionCombo.objects.filter(combo_id__in=combo_ids)
        .prefetch_related("options")
        .order_by("combo_id", "sort_order", "code")
    ):
        combos.setdefault(coc.combo_id, []).append(coc)
    combo_categories: dict[int, list] = {}
    for membership in (
        CategoryComboMembership.objects.filter(combo_id__in=combo_ids)
        .select_related("category")
        .order_by("combo_id", "sort_order")
    ):
        combo_categories.setdefault(membership.combo_id, []).append(membership.category)
    sections: list[LayoutSection] = []
    for raw_section in (version.layout or {}).get("sections", []):
        rows = []
        for raw_row in raw_section.get("rows", []):
            element = elements.get(raw_row.get("element"))
            if element is None:
                continue
            rows.append(
                LayoutRow(
                    element=element,
                    columns=combos.get(element.category_combo_id, []),
                    categories=combo_categories.get(element.category_combo_id, []),
                    label=raw_row.get("label") or "",
                    label_en=raw_row.get("label_en") or "",
                )
            )
        sections.append(
            LayoutSection(title=raw_section.get("title", ""), title_en=raw_section.get("title_en", ""), rows=rows)
        )
    return FormLayout(version=version, sections=sections, elements=elements)


@dataclass
class LayoutRow:
    element: DataElement
    columns: list[CategoryOptionCombo]
    label: str = ""
    label_en: str = ""
    categories: list = field(default_factory=list)  # the combo's categories, in order

    def title(self, language: str | None = None) -> str:
        if language == "en":
            return self.label_en or self.element.name_en or self.label or self.element.name
        return self.label or self.element.name


@dataclass
class LayoutSection:
    title: str
    title_en: str
    rows: list[LayoutRow] = field(default_factory=list)

    def heading(self, language: str | None = None) -> str:
        return self.title_en if language == "en" and self.title_en else self.title


@dataclass
class FormLayout:
    version: FormVersion
    sections: list[LayoutSection]
    elements: dict[str, DataElement]

    def cells(self) -> list[tuple[DataElement, CategoryOptionCombo]]:
        return [(row.element, coc) for s in self.sections for row in s.rows for coc in row.columns]

    def cell_keys(self) -> set[tuple[str, str]]:
        return {(e.code, c.code) for e, c in self.cells()}


def submission_values(submission: Submission) -> dict[tuple[str, str], DataValue]:
    """{(element code, option combo code): DataValue} of one submission (one query)."""
    rows = DataValue.objects.filter(submission=submission).select_related("data_element", "category_option_combo")
    return {(v.data_element.code, v.category_option_combo.code): v for v in rows}


@dataclass(frozen=True)
class StoredCell:
    """What the entry grid and the rules read of a stored value (a DataValue without its model rows)."""

    value: str
    numeric_value: float | None
    comment: str


def submission_cells(submission: Submission) -> dict[tuple[str, str], StoredCell]:
    """{(element code, option combo code): StoredCell} of one submission: one query, no model objects
    (the report page's read; `submission_values` gives the DataValue rows for writers and exports)."""
    rows = DataValue.objects.filter(submission=submission).values_list(
        "data_element__code", "category_option_combo__code", "value", "numeric_value", "comment"
    )
    return {(element, combo): StoredCell(value, number, comment) for element, combo, value, number, comment in rows}


def submission_events(submission: Submission) -> QuerySet[SubmissionEvent]:
    return submission.events.select_related("actor").order_by("at", "pk")


def validation_rules_of(form: ReportForm) -> QuerySet[ValidationRule]:
    return form.validation_rules.order_by("code")


# --- who acts next -------------------------------------------------------------------------------


@dataclass
class NextStep:
    """What a report waits for, in words ("Chờ lãnh đạo Sở … duyệt"), and who may take that step."""

    action: str  # a ReportingAction, or "" when nothing is left to do
    text: str
    unit: Organisation | None = None
    people: list[str] = field(default_factory=list)


MAX_PEOPLE = 10


def ministry_unit() -> Organisation | None:
    """The root of the tree (the Ministry)."""
    return Organisation.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path").first()


def _people_at(unit: Organisation | None, action: str) -> list[str]:
    """Names of the active people granted `action` at `unit` itself, in Vietnamese order."""
    from vhttdl.core.accounts.selectors import users_with
    from vhttdl.core.text import sort_vi

    if unit is None:
        return []
    # Only what a name is made of (User.get_full_name): the rest of a person's row is not shown.
    users = users_with(action, at=unit, inherited=False).only("username", "full_name", "first_name", "last_name")
    return sort_vi([u.get_full_name() or u.get_username() for u in users])[:MAX_PEOPLE]


def next_step(submission: Submission, *, language: str | None = None, people: bool = True,
              ministry: Organisation | None = None) -> NextStep:
    """Who acts next on a report. `people=False` skips the names (lists); `ministry` spares its query."""
    status = submission.status
    unit = submission.organisation
    name = unit.display_name(language)
    if status == Submission.Status.ACCEPTED:
        return NextStep("", _("Hoàn thành: Bộ đã tiếp nhận"))
    if status in permissions.ENTRY_STATUSES:
        text = (_("Bị trả lại: chờ %(unit)s sửa và nộp lại") if status == Submission.Status.RETURNED
                else _("Chờ %(unit)s nhập và nộp")) % {"unit": name}
        return NextStep(ReportingAction.ENTER, text, unit, _people_at(unit, ReportingAction.ENTER) if people else [])
    if status == Submission.Status.SUBMITTED:
        approver = permissions.approving_unit(submission)
        if approver is None:
            return NextStep(ReportingAction.APPROVE, _("Chờ quản trị hệ thống duyệt"))
        text = _("Chờ lãnh đạo %(unit)s duyệt") % {"unit": approver.display_name(language)}
        return NextStep(ReportingAction.APPROVE, text, approver,
                        _people_at(approver, ReportingAction.APPROVE) if people else [])
    ministry = ministry or ministry_unit()
    text = _("Chờ %(unit)s tiếp nhận") % {"unit": ministry.display_name(language) if ministry else _("Bộ")}
    return NextStep(ReportingAction.ACCEPT, text, ministry,
                    _people_at(ministry, ReportingAction.ACCEPT) if people else [])


# --- home page ----------------------------------------------------------------------------------


def home_cards(*, actor: Any) -> list:
    """Cards for the home page: reports I must fill, reports awaiting my approval or acceptance."""
    from django.urls import reverse

    from vhttdl.core.modules import HomeCard

    cards = []
    if not permissions.view_paths(actor) and not permissions.is_superuser(actor):
        return cards
    to_fill = submission_list(actor=actor, action=ReportingAction.ENTER).count()
    if permissions.entry_organisation_ids(actor) or permissions.is_superuser(actor):
        cards.append(
            HomeCard(
                _("Báo cáo cần nhập"),
                to_fill,
                _("đang nhập hoặc bị trả lại"),
                reverse("reporting:my_reports"),
            )
        )
    awaiting = submission_list(actor=actor, action=ReportingAction.APPROVE).count()
    accept = submission_list(actor=actor, action=ReportingAction.ACCEPT).count()
    if awaiting or accept:
        cards.append(
            HomeCard(
                _("Báo cáo chờ tôi duyệt"),
                awaiting + accept,
                _("đã nộp, chờ duyệt hoặc tiếp nhận"),
                reverse("reporting:inbox"),
            )
        )
    today = timezone.localdate()
    overdue = _scoped(Submission.objects.filter(status__in=permissions.ENTRY_STATUSES, deadline__lt=today), actor)
    cards.append(
        HomeCard(
            _("Báo cáo quá hạn chưa nộp"),
            overdue.count(),
            _("trong phạm vi của tôi"),
            reverse("reporting:submissions") + "?overdue=1",
        )
    )
    return cards


# --- "my reports": what the units I enter for must fill -----------------------------------------


@dataclass
class DueReport:
    form: ReportForm
    organisation: Organisation
    period: Period
    submission: Submission | None
    deadline: date


def my_reports(*, actor: Any, today: date | None = None, periods_back: int = 2) -> list[DueReport]:
    """For every unit whose own data the actor enters: each form it submits, for the current period
    and `periods_back` before it, with the report if it exists (a handful of queries)."""
    from vhttdl.reporting.periods import deadline_for, period_containing, periods_for_codes, previous_period_code

    today = today or timezone.localdate()
    ids = permissions.entry_organisation_ids(actor)
    units = list(Organisation.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("sort_name", "code"))
    forms = list(
        ReportForm.objects.filter(is_active=True)
        .exclude(period_type="ad_hoc")
        .prefetch_related("excluded_units")
        .order_by("code")
    )
    wanted: list[tuple[ReportForm, Organisation, str]] = []
    for unit in units:
        for form in forms:
            kinds = form.submitter_kinds or [Organisation.Kind.DEPARTMENT]
            if unit.kind not in kinds or unit in form.excluded_units.all():
                continue
            code = period_containing(form.period_type, today)
            codes = [code]
            for _i in range(periods_back):
                code = previous_period_code(code)
                codes.append(code)
            wanted.extend((form, unit, c) for c in codes)
    periods = periods_for_codes({c for _f, _u, c in wanted})
    existing = {
        (s.form_id, s.organisation_id, s.period_id): s
        for s in Submission.objects.filter(organisation__in=units, period__in=list(periods.values())).select_related(
            "period"
        )
    }
    rows = []
    for form, unit, code in wanted:
        period = periods[code]
        if unit.valid_from and unit.valid_from > period.end_date:
            continue
        rows.append(
            DueReport(form, unit, period, existing.get((form.pk, unit.pk, period.pk)), deadline_for(form, period))
        )
    return rows
