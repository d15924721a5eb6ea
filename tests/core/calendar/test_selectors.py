"""Working days: weekends, the `holidays` package's Vietnamese holidays (Tết included), decisions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vhttdl.core.calendar.models import AnnualHoliday, DayDecision
from vhttdl.core.calendar.selectors import (
    MAX_SPAN_DAYS,
    add_working_days,
    count_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    special_days,
    statutory_holidays,
    subtract_working_days,
)
from vhttdl.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def off_weekdays(start: date, end: date) -> list[date]:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5 and not is_working_day(d)]


def test_tet_2025_and_2026_as_the_package_gives_them():
    # Tết Ất Tỵ: off from Saturday 25 Jan to Sunday 2 Feb 2025, back on Monday 3 Feb.
    assert off_weekdays(date(2025, 1, 20), date(2025, 2, 7)) == [date(2025, 1, d) for d in range(27, 32)]
    assert is_working_day(date(2025, 1, 24)) and is_working_day(date(2025, 2, 3))
    # Tết Bính Ngọ: Monday 16 to Friday 20 Feb 2026 (with the weekends, 14–22 Feb), back on 23 Feb.
    assert off_weekdays(date(2026, 2, 9), date(2026, 2, 27)) == [date(2026, 2, d) for d in range(16, 21)]
    assert is_working_day(date(2026, 2, 23))
    assert "Tết Nguyên Đán" in statutory_holidays(2026)[date(2026, 2, 17)][0]


def test_the_packages_substituted_days_count_both_ways():
    # 30 Apr – 4 May 2025: Friday 2 May off, worked on Saturday 26 April instead.
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 4, 27))  # an ordinary Sunday


def test_weekends_and_ordinary_days():
    assert is_working_day(date(2025, 3, 12))  # a Wednesday
    assert not is_working_day(date(2025, 3, 15)) and not is_working_day(date(2025, 3, 16))


def test_add_subtract_and_count_working_days():
    friday = date(2025, 1, 24)  # the last working day before Tết
    assert add_working_days(friday, 1) == date(2025, 2, 3)
    assert add_working_days(friday, 0) == friday
    assert subtract_working_days(date(2025, 2, 3), 1) == friday
    assert add_working_days(date(2025, 2, 3), -1) == friday
    assert add_working_days(date(2025, 3, 14), 3) == date(2025, 3, 19)  # Friday + 3 → Wednesday
    assert count_working_days(friday, date(2025, 2, 3)) == 1
    assert count_working_days(date(2025, 2, 3), friday) == -1
    assert count_working_days(friday, friday) == 0
    # The two agree, across a year end and Tết.
    start = date(2025, 12, 20)
    for n in (1, 5, 20, 60):
        assert count_working_days(start, add_working_days(start, n)) == n
        assert subtract_working_days(add_working_days(start, n), n) <= start


def test_next_and_previous_working_day():
    assert next_working_day(date(2026, 2, 14)) == date(2026, 2, 23)
    assert next_working_day(date(2026, 2, 23)) == date(2026, 2, 23)
    assert previous_working_day(date(2026, 2, 22)) == date(2026, 2, 13)


def test_decisions_make_working_days_and_days_off():
    saturday = date(2025, 3, 15)
    DayDecision.objects.create(day=saturday, kind=DayDecision.Kind.WORKING_DAY, name="Làm bù")
    DayDecision.objects.create(day=date(2025, 3, 17), kind=DayDecision.Kind.DAY_OFF, name="Nghỉ thêm")
    assert is_working_day(saturday) and not is_working_day(date(2025, 3, 17))
    # A package holiday that does not apply this year can be made a working day.
    DayDecision.objects.create(day=date(2026, 11, 24), kind=DayDecision.Kind.WORKING_DAY, name="Không nghỉ")
    assert is_working_day(date(2026, 11, 24))


def test_an_annual_holiday_with_its_observed_day():
    AnnualHoliday.objects.create(day=10, month=10, name="Ngày lễ thử", first_year=2027)
    assert is_working_day(date(2026, 10, 12))  # not yet
    # 10 Oct 2027 is a Sunday: the next working day, Monday 11, is off instead.
    assert not is_working_day(date(2027, 10, 11)) and is_working_day(date(2027, 10, 12))
    names = {s.day: s.name for s in special_days(2027)}
    assert names[date(2027, 10, 10)] == "Ngày lễ thử" and "Ngày lễ thử" in names[date(2027, 10, 11)]


def test_limits_are_explicit():
    with pytest.raises(InvalidInput):
        add_working_days(date(2025, 1, 1), MAX_SPAN_DAYS + 1)
    with pytest.raises(InvalidInput):
        count_working_days(date(2000, 1, 1), date(2025, 1, 1))
    with pytest.raises(InvalidInput):
        is_working_day(date(1900, 1, 1))


def test_special_days_in_english(settings):
    from django.utils import translation

    with translation.override("en"):
        names = {s.day: s.name for s in special_days(2026)}
    assert names[date(2026, 2, 17)] == "Lunar New Year"
