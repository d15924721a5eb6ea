"""Reporting periods: ISO-like codes, the rows that stand for them, data windows and deadlines.

Codes (DHIS2's, plus one of our own):

==============  =====================  ==============================================
code            type                   covers (calendar)
==============  =====================  ==============================================
``2025``        yearly                 1 Jan – 31 Dec 2025
``2025S1``      half-yearly            1 Jan – 30 Jun (``S2``: 1 Jul – 31 Dec)
``2025N9``      nine months            1 Jan – 30 Sep. **Our extension**: DHIS2 has no
                                       nine-month period, but Decree 09/2019 asks for
                                       nine-month reports, so ``N9`` names them.
``2025Q1``      quarterly              1 Jan – 31 Mar ... ``Q4``
``202501``      monthly                January 2025
``2025-03-01_2025-03-15``  ad hoc      the two dates, inclusive
==============  =====================  ==============================================

A period's ``start_date``/``end_date`` are always the calendar dates above. Which days a
report's figures actually cover is a property of the form (``ReportForm.data_window``):
calendar, or Decree 09's closing window (``data_window``). Deadlines come from the form's
rule, moved off a day off to the next working day (``deadline_for``, with ``core.calendar``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from vhttdl.core.calendar.selectors import next_working_day
from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.models import Period, PeriodType, ReportForm

if TYPE_CHECKING:
    from collections.abc import Iterable

MIN_YEAR, MAX_YEAR = 1990, 2100

_YEARLY = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})S([12])$")
_NINE = re.compile(r"^(\d{4})N9$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_AD_HOC = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")

# Which period types nest inside which (for `child_periods`), finest last.
_NESTING: dict[str, set[str]] = {
    PeriodType.YEARLY: {
        PeriodType.HALF_YEARLY,
        PeriodType.NINE_MONTHS,
        PeriodType.QUARTERLY,
        PeriodType.MONTHLY,
    },
    PeriodType.NINE_MONTHS: {PeriodType.QUARTERLY, PeriodType.MONTHLY},
    PeriodType.HALF_YEARLY: {PeriodType.QUARTERLY, PeriodType.MONTHLY},
    PeriodType.QUARTERLY: {PeriodType.MONTHLY},
    PeriodType.MONTHLY: set(),
    PeriodType.AD_HOC: set(),
}


@dataclass(frozen=True)
class ParsedPeriod:
    code: str
    period_type: str
    start_date: date
    end_date: date

    @property
    def year(self) -> int:
        return self.start_date.year


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bad(code: str) -> InvalidInput:
    return InvalidInput(
        _(
            "Mã kỳ báo cáo «%(code)s» không hợp lệ. Dùng dạng 2025 (năm), 2025S1 (6 tháng), "
            "2025N9 (9 tháng), "
            "2025Q1 (quý), 202501 (tháng) hoặc 2025-03-01_2025-03-15 (đột xuất)."
        )
        % {"code": code},
        code="invalid_period",
        details={"period": code},
    )


def _check_year(code: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad(code)


def parse_period(code: str) -> ParsedPeriod:
    """Read a period code; raise InvalidInput (code "invalid_period") when it is not one."""
    text = str(code or "").strip().upper()
    if m := _YEARLY.match(text):
        year = int(m[1])
        _check_year(text, year)
        return ParsedPeriod(text, PeriodType.YEARLY, date(year, 1, 1), date(year, 12, 31))
    if m := _HALF.match(text):
        year, half = int(m[1]), int(m[2])
        _check_year(text, year)
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return ParsedPeriod(text, PeriodType.HALF_YEARLY, start, end)
    if m := _NINE.match(text):
        year = int(m[1])
        _check_year(text, year)
        return ParsedPeriod(text, PeriodType.NINE_MONTHS, date(year, 1, 1), date(year, 9, 30))
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        _check_year(text, year)
        first_month = 3 * quarter - 2
        return ParsedPeriod(
            text, PeriodType.QUARTERLY, date(year, first_month, 1), _last_day(year, first_month + 2)
        )
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        _check_year(text, year)
        if not 1 <= month <= 12:
            raise _bad(code)
        return ParsedPeriod(text, PeriodType.MONTHLY, date(year, month, 1), _last_day(year, month))
    if m := _AD_HOC.match(text):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            raise _bad(code) from None
        _check_year(text, start.year)
        _check_year(text, end.year)
        if end < start:
            raise InvalidInput(
                _("Kỳ đột xuất «%(code)s»: ngày kết thúc trước ngày bắt đầu.") % {"code": code},
                code="invalid_period",
                details={"period": code},
            )
        return ParsedPeriod(text, PeriodType.AD_HOC, start, end)
    raise _bad(code)


def period_type_of(code: str) -> str:
    """The PeriodType value of a code ("monthly", "quarterly", ...); InvalidInput when bad."""
    return parse_period(code).period_type


def is_valid_period_code(code: str) -> bool:
    try:
        parse_period(code)
    except InvalidInput:
        return False
    return True


def format_period(period_type: str, year: int, index: int = 1) -> str:
    """The code of the `index`-th period of `period_type` in `year` (month 1-12, quarter 1-4, half 1-2)."""
    if period_type == PeriodType.YEARLY:
        return f"{year:04d}"
    if period_type == PeriodType.HALF_YEARLY:
        return f"{year:04d}S{index}"
    if period_type == PeriodType.NINE_MONTHS:
        return f"{year:04d}N9"
    if period_type == PeriodType.QUARTERLY:
        return f"{year:04d}Q{index}"
    if period_type == PeriodType.MONTHLY:
        return f"{year:04d}{index:02d}"
    raise InvalidInput(
        _("Kỳ đột xuất không có mã theo năm; hãy ghi rõ ngày bắt đầu và kết thúc."), code="invalid_period"
    )


def ad_hoc_code(start: date, end: date) -> str:
    return f"{start.isoformat()}_{end.isoformat()}"


def period_containing(period_type: str, on: date) -> str:
    """The code of the period of `period_type` that contains `on` (ad hoc has none)."""
    if period_type == PeriodType.MONTHLY:
        return format_period(period_type, on.year, on.month)
    if period_type == PeriodType.QUARTERLY:
        return format_period(period_type, on.year, (on.month - 1) // 3 + 1)
    if period_type == PeriodType.HALF_YEARLY:
        return format_period(period_type, on.year, 1 if on.month <= 6 else 2)
    if period_type == PeriodType.NINE_MONTHS:
        return format_period(
            period_type, on.year
        )  # the nine months of that year (Oct-Dec: still that year's)
    return format_period(period_type, on.year)


def previous_period_code(code: str) -> str:
    """The period before `code`, of the same type (for ad hoc: the same length, just before)."""
    parsed = parse_period(code)
    if parsed.period_type == PeriodType.AD_HOC:
        length = parsed.end_date - parsed.start_date
        end = parsed.start_date - timedelta(days=1)
        return ad_hoc_code(end - length, end)
    if parsed.period_type == PeriodType.NINE_MONTHS:
        return format_period(parsed.period_type, parsed.year - 1)
    return period_containing(parsed.period_type, parsed.start_date - timedelta(days=1))


def codes_in_range(period_type: str, start: date, end: date) -> list[str]:
    """Codes of every period of `period_type` lying wholly within [start, end], in order."""
    if period_type == PeriodType.AD_HOC:
        raise InvalidInput(_("Không thể liệt kê các kỳ đột xuất."), code="invalid_period")
    codes: list[str] = []
    cursor = start
    while cursor <= end:
        code = period_containing(period_type, cursor)
        parsed = parse_period(code)
        if parsed.start_date >= start and parsed.end_date <= end and (not codes or codes[-1] != code):
            codes.append(code)
        cursor = max(parsed.end_date, cursor) + timedelta(days=1)
        if period_type == PeriodType.NINE_MONTHS:
            cursor = date(parsed.year + 1, 1, 1)
    return codes


def periods_for_codes(codes: Iterable[str]) -> dict[str, Period]:
    """{code: Period row} for every code, creating the missing rows (two or three queries)."""
    parsed = {p.code: p for p in (parse_period(c) for c in codes)}
    found = {p.code: p for p in Period.objects.filter(code__in=parsed)}
    missing = [
        Period(code=p.code, period_type=p.period_type, start_date=p.start_date, end_date=p.end_date)
        for code, p in parsed.items()
        if code not in found
    ]
    if missing:
        Period.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({p.code: p for p in Period.objects.filter(code__in=[m.code for m in missing])})
    return found


def period_for_code(code: str) -> Period:
    """The Period row for `code`, created when first used. InvalidInput with a Vietnamese message if bad."""
    parsed = parse_period(code)
    period, _created = Period.objects.get_or_create(
        code=parsed.code,
        defaults={
            "period_type": parsed.period_type,
            "start_date": parsed.start_date,
            "end_date": parsed.end_date,
        },
    )
    return period


def periods_in_range(period_type: str, start: date, end: date) -> list[Period]:
    """Period rows of `period_type` lying wholly within [start, end], in order (created as needed)."""
    codes = codes_in_range(period_type, start, end)
    rows = periods_for_codes(codes)
    return [rows[c] for c in codes]


def child_periods(period: Period, child_type: str) -> list[Period]:
    """The periods of `child_type` inside `period`: a year's quarters or months, a quarter's months..."""
    if child_type == period.period_type:
        return [period]
    if child_type not in _NESTING.get(period.period_type, set()):
        raise InvalidInput(
            _("Kỳ «%(code)s» không chia được thành kỳ loại «%(type)s».")
            % {
                "code": period.code,
                "type": PeriodType(child_type).label if child_type in PeriodType.values else child_type,
            },
            code="invalid_period",
        )
    return periods_in_range(child_type, period.start_date, period.end_date)


def check_period_for_form(form: ReportForm, period: Period | ParsedPeriod) -> None:
    """A form takes only periods of its own type (ad hoc forms take ad hoc ranges)."""
    if period.period_type != form.period_type:
        raise InvalidInput(
            _("Biểu %(form)s báo cáo theo kỳ «%(expected)s», không nhận kỳ %(code)s («%(got)s»).")
            % {
                "form": form.code,
                "expected": PeriodType(form.period_type).label,
                "code": period.code,
                "got": PeriodType(period.period_type).label,
            },
            code="period_type_mismatch",
            details={"form": form.code, "period": period.code},
        )


def _decree_09_start(year: int, month: int) -> date:
    """The 15th of the month before (`month` of `year`)."""
    if month == 1:
        return date(year - 1, 12, 15)
    return date(year, month - 1, 15)


def data_window(form: ReportForm, period: Period | ParsedPeriod) -> tuple[date, date]:
    """The days a report's figures cover: the calendar period, or Decree 09/2019's closing window.

    Decree 09: month = 15th of the previous month to the 14th; quarter = 15th of the month before
    the quarter to the 14th of its last month; half-year = 15 Dec of the previous year to 14 Jun
    (second half, by the same rule: 15 Jun to 14 Dec); nine months = 15 Dec to 14 Sep; year =
    15 Dec of the previous year to 14 Dec. Ad-hoc periods are always their own dates.
    """
    if form.data_window != ReportForm.DataWindow.DECREE_09 or period.period_type == PeriodType.AD_HOC:
        return period.start_date, period.end_date
    start, end = period.start_date, period.end_date
    return _decree_09_start(start.year, start.month), date(end.year, end.month, 14)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def nominal_deadline_for(form: ReportForm, period: Period | ParsedPeriod) -> date:
    """The day the form's rule names, before it is moved off a day off (see `deadline_for`).

    "last_month": day `deadline_day` of the period's last month (Circular 14/2022: monthly before
    the 20th, quarterly before the 20th of the quarter's last month, annual before 15 Dec);
    "month_after": day `deadline_day` of the month after the period. Ad-hoc periods are due
    `deadline_day` days after their end. Days past the month's end are clamped to its last day.
    """
    end = period.end_date
    if period.period_type == PeriodType.AD_HOC:
        return end + timedelta(days=form.deadline_day)
    if form.deadline_anchor == ReportForm.DeadlineAnchor.LAST_MONTH_OF_PERIOD:
        return _clamped(end.year, end.month, form.deadline_day)
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return _clamped(year, month, form.deadline_day)


def deadline_for(form: ReportForm, period: Period | ParsedPeriod) -> date:
    """When the report is due: the form's rule (`nominal_deadline_for`), and when that day is not a
    working day (a Saturday or Sunday, a holiday, a Tết day, an extra day off decided for the year),
    the next working day, as the Civil Code (2015, Article 148(5)) ends a time limit whose last day
    is a day off: a monthly report due on the 20th that falls on a Sunday is due on Monday the 21st;
    one due on 20 Feb 2026, in the Tết holiday, is due on Monday 23 Feb. See core.calendar.
    """
    return next_working_day(nominal_deadline_for(form, period))


def entry_closes_on(form: ReportForm, period: Period | ParsedPeriod) -> date | None:
    """DHIS2's expiryDays: the last day units may still enter data (None: no automatic lock).

    Counted in calendar days from the deadline (`deadline_for`, already moved to a working day).
    """
    if not form.expiry_days:
        return None
    return deadline_for(form, period) + timedelta(days=form.expiry_days)


def period_label(period: Period | ParsedPeriod) -> str:
    """A person's name for a period: "Tháng 01/2025", "Quý 1/2025", "6 tháng đầu năm 2025"..."""
    start, end = period.start_date, period.end_date
    kind = period.period_type
    if kind == PeriodType.MONTHLY:
        return _("Tháng %(month)02d/%(year)s") % {"month": start.month, "year": start.year}
    if kind == PeriodType.QUARTERLY:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if kind == PeriodType.HALF_YEARLY:
        if start.month == 1:
            return _("6 tháng đầu năm %(year)s") % {"year": start.year}
        return _("6 tháng cuối năm %(year)s") % {"year": start.year}
    if kind == PeriodType.NINE_MONTHS:
        return _("9 tháng năm %(year)s") % {"year": start.year}
    if kind == PeriodType.YEARLY:
        return _("Năm %(year)s") % {"year": start.year}
    return _("Từ %(start)s đến %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
