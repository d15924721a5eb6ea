"""Working days in Vietnam: is a day a working day, add, subtract and count working days.

A day is a working day unless it is a Saturday or a Sunday, a statutory holiday, or an extra day
off, and a day an administrator made a working day (a Saturday worked to make up for a bridged
weekday) is one whatever else it is. Statutory holidays come from the `holidays` package
(Vietnam: New Year, the Tết days it lists, Hùng Kings, 30 April, 1 May, National Day, and the
substituted days it knows), plus `AnnualHoliday` rows; decisions of one year are `DayDecision` rows.

The week: Saturday and Sunday off, as for state bodies (Decree 45/2013, Article 3 for civil
servants; the Labour Code lets other employers choose).

Counting (`add_working_days`, `count_working_days`) never counts the start day, so
`count_working_days(a, add_working_days(a, n)) == n`: a file received on Friday with 3 working days
is due on Wednesday. Each year's days off are read once and cached (a decision saved through the
services clears its year at once; other web processes see it within `CACHE_SECONDS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.calendar.models import MAX_YEAR, MIN_YEAR, AnnualHoliday, DayDecision
from vhttdl.core.errors import InvalidInput

CACHE_SECONDS = 300
MAX_SPAN_DAYS = 3660  # add/subtract at most this many working days, count over at most this many days
_WEEKEND = (5, 6)  # Saturday, Sunday


@dataclass(frozen=True)
class YearCalendar:
    year: int
    days_off: frozenset[date]  # holidays and extra days off, weekends not listed
    working_days: frozenset[date]  # days made working days, whatever else they are
    names: dict[date, tuple[str, str]]  # day → (Vietnamese name, English name) of a holiday or decision

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() not in _WEEKEND and day not in self.days_off


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(_("Lịch ngày làm việc chỉ tính cho các năm %(min)s–%(max)s.") % {
            "min": MIN_YEAR, "max": MAX_YEAR}, code="year_out_of_range")


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[date, tuple[str, str]]:
    """The `holidays` package's Vietnamese holidays of `year`: day → (Vietnamese, English) name."""
    vi = holidays.country_holidays("VN", years=year, language="vi")
    en = holidays.country_holidays("VN", years=year, language="en_US")
    return {day: (vi[day], en.get(day, vi[day])) for day in sorted(vi)}


@lru_cache(maxsize=256)
def statutory_working_weekends(year: int) -> frozenset[date]:
    """Saturdays or Sundays of `year` the package knows were worked to make up for a substituted day off."""
    found: set[date] = getattr(holidays.country_holidays("VN", years=year), "weekend_workdays", set())
    return frozenset(day for day in found if day.year == year)


def _annual_days(rows: list[AnnualHoliday], year: int, taken: set[date]) -> dict[date, tuple[str, str]]:
    found: dict[date, tuple[str, str]] = {}
    for row in rows:
        if not row.applies_in(year):
            continue
        try:
            day = date(year, row.month, row.day)
        except ValueError:  # 29 Feb in a common year
            continue
        found[day] = (row.name, row.name_en or row.name)
        if row.observed and day.weekday() in _WEEKEND:
            substitute = day + timedelta(days=1)
            while substitute.weekday() in _WEEKEND or substitute in taken or substitute in found:
                substitute += timedelta(days=1)
            found[substitute] = (_("Nghỉ bù %(name)s") % {"name": row.name},
                                 f"{row.name_en or row.name} (observed)")
    return found


def load_year(year: int, *, without_decision: int | None = None) -> YearCalendar:
    """`year` from the package, the annual holidays and the decisions (but `without_decision`'s id)."""
    names = dict(statutory_holidays(year))
    annual = list(AnnualHoliday.objects.all())
    names.update(_annual_days(annual, year, set(names)))
    days_off = set(names)
    working = set(statutory_working_weekends(year))
    for day in working:
        names[day] = (_("Ngày làm bù"), "Make-up working day")
    decisions = DayDecision.objects.filter(day__year=year)
    if without_decision is not None:
        decisions = decisions.exclude(pk=without_decision)
    for decision in decisions:
        names[decision.day] = (decision.name, decision.name_en or decision.name)
        if decision.kind == DayDecision.Kind.WORKING_DAY:
            working.add(decision.day)
            days_off.discard(decision.day)
        else:
            days_off.add(decision.day)
    return YearCalendar(year, frozenset(days_off), frozenset(working), names)


def cache_key(year: int) -> str:
    return f"core.calendar.year.{year}"


def year_calendar(year: int) -> YearCalendar:
    """Every day off and made-working day of `year` (cached)."""
    _check_year(year)
    found = cache.get(cache_key(year))
    if found is None:
        found = load_year(year)
        cache.set(cache_key(year), found, CACHE_SECONDS)
    return found


class _Years:
    """The years one computation walks through, each read once."""

    def __init__(self) -> None:
        self._seen: dict[int, YearCalendar] = {}

    def is_working_day(self, day: date) -> bool:
        if day.year not in self._seen:
            self._seen[day.year] = year_calendar(day.year)
        return self._seen[day.year].is_working_day(day)


def is_working_day(day: date) -> bool:
    return year_calendar(day.year).is_working_day(day)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    years = _Years()
    for _step in range(MAX_SPAN_DAYS):
        if years.is_working_day(day):
            return day
        day += timedelta(days=1)
    raise InvalidInput(_("Không tìm thấy ngày làm việc nào."), code="no_working_day")


def previous_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the last working day before it."""
    years = _Years()
    for _step in range(MAX_SPAN_DAYS):
        if years.is_working_day(day):
            return day
        day -= timedelta(days=1)
    raise InvalidInput(_("Không tìm thấy ngày làm việc nào."), code="no_working_day")


def _check_span(n: int) -> None:
    if abs(n) > MAX_SPAN_DAYS:
        raise InvalidInput(_("Số ngày làm việc phải trong khoảng ±%(max)s.") % {"max": MAX_SPAN_DAYS},
                           code="span_too_long")


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (`start` itself not counted; negative `n` goes back).

    `n == 0` gives `start` unchanged, whether or not it is a working day.
    """
    _check_span(n)
    years = _Years()
    step = timedelta(days=1 if n >= 0 else -1)
    day, left = start, abs(n)
    while left:
        day += step
        if years.is_working_day(day):
            left -= 1
    return day


def subtract_working_days(start: date, n: int) -> date:
    """The day `n` working days before `start` (`start` itself not counted)."""
    return add_working_days(start, -n)


def count_working_days(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -count_working_days(end, start)
    _check_span((end - start).days)
    years = _Years()
    return sum(1 for offset in range(1, (end - start).days + 1)
               if years.is_working_day(start + timedelta(days=offset)))


@dataclass(frozen=True)
class SpecialDay:
    day: date
    is_working_day: bool
    name: str


def special_days(year: int) -> list[SpecialDay]:
    """The holidays, days off and made-working days of `year`, in order, named in the reader's language."""
    calendar = year_calendar(year)
    english = (get_language() or "").startswith("en")
    days = sorted(calendar.days_off | calendar.working_days)
    return [SpecialDay(day, calendar.is_working_day(day), calendar.names[day][1 if english else 0])
            for day in days]
