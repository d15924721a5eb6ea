"""The Vietnamese lunar calendar against published dates (Tết, Giỗ Tổ, leap months, VN ≠ CN years)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from vhttdl.heritage.lunar import (
    LunarDate,
    LunarDateError,
    leap_month,
    lunar_to_solar,
    months_of_year,
    occurrences_in_gregorian_year,
    solar_to_lunar,
    tet,
    yearly_occurrence,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, date(2020, 1, 25)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (1985, date(1985, 1, 21)),  # China: 20/02/1985
        (2007, date(2007, 2, 17)),  # China: 18/02/2007
    ],
)
def test_tet_matches_published_dates(year, expected):
    assert tet(year) == expected
    assert solar_to_lunar(expected) == LunarDate(year, 1, False, 1)
    assert solar_to_lunar(expected - timedelta(days=1)).year == year - 1


def test_vietnam_differs_from_china_where_the_meridian_matters():
    assert lunar_to_solar(1985, 1, 1, tz_hours=8) == date(1985, 2, 20)
    assert lunar_to_solar(2007, 1, 1, tz_hours=8) == date(2007, 2, 18)


@pytest.mark.parametrize(("year", "expected"), [(2024, date(2024, 4, 18)), (2025, date(2025, 4, 7)),
                                                (2026, date(2026, 4, 26))])
def test_hung_kings_day_10_3(year, expected):
    assert lunar_to_solar(year, 3, 10) == expected
    assert solar_to_lunar(expected).label == "10/03"


@pytest.mark.parametrize(
    ("year", "leap"), [(2020, 4), (2023, 2), (2025, 6), (2028, 5), (2024, None), (2026, None)]
)
def test_leap_months(year, leap):
    assert leap_month(year) == leap
    assert len(months_of_year(year)) == (13 if leap else 12)


def test_leap_month_of_2023_and_its_dates():
    # 2023 had two 2nd months: 20/02–21/03 and the leap one from 22/03.
    assert lunar_to_solar(2023, 2, 1) == date(2023, 2, 20)
    assert lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(2023, 2, True, 1)
    assert str(solar_to_lunar(date(2023, 3, 22))) == "01/02 (nhuận)/2023"
    # 2025: leap 6th month from 25/07
    assert solar_to_lunar(date(2025, 7, 25)) == LunarDate(2025, 6, True, 1)


def test_round_trip_over_several_years():
    day = date(2019, 12, 1)
    while day < date(2031, 2, 1):
        lunar = solar_to_lunar(day)
        assert 1 <= lunar.day <= 30
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day
        day += timedelta(days=1)


def test_months_are_29_or_30_days_and_contiguous():
    months = months_of_year(2025)
    assert [m.month for m in months] == [1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12]
    for first, second in itertools.pairwise(months):
        assert first.length in (29, 30)
        assert first.start + first.length == second.start


def test_dates_that_do_not_exist_are_refused():
    with pytest.raises(LunarDateError):
        lunar_to_solar(2024, 2, 1, leap=True)  # 2024 has no leap month
    with pytest.raises(LunarDateError):
        lunar_to_solar(2024, 13, 1)
    short = next(m for m in months_of_year(2024) if m.length == 29)
    with pytest.raises(LunarDateError):
        lunar_to_solar(2024, short.month, 30)
    with pytest.raises(LunarDateError):
        solar_to_lunar(date(1500, 1, 1))


def test_yearly_festival_on_day_30_of_a_short_month_moves_to_day_29():
    short = next(m for m in months_of_year(2024) if m.length == 29 and not m.leap)
    assert yearly_occurrence(2024, short.month, 30) == lunar_to_solar(2024, short.month, 29)


def test_occurrences_in_a_gregorian_year():
    # Tết falls once in each Gregorian year
    assert occurrences_in_gregorian_year(2026, 1, 1) == [date(2026, 2, 17)]
    # the 15th of the 12th month of lunar 2025 is in Feb 2026; of lunar 2026, in Jan/Feb 2027
    found = occurrences_in_gregorian_year(2026, 12, 15)
    assert found == [lunar_to_solar(2025, 12, 15)]
    assert found[0].year == 2026
