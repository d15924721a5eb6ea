"""The Vietnamese lunisolar calendar (âm lịch), computed astronomically for UTC+7.

Why our own code: the Vietnamese calendar is the Chinese rule applied at Vietnam's meridian
(UTC+7 since 1968), so some years differ from the Chinese calendar (Tết 1985: 21/01 here,
20/02 in China; Tết 2007: 17/02 here, 18/02 in China). The PyPI package `vnlunar` ports the same
rule but mixes a "non-commercial" notice with its MIT licence and is a beta; the rule itself is
short, so it lives here with tests against published dates.

The rule:
- a month starts on the local (UTC+7) day of a new moon;
- month 11 is the month that contains the December solstice;
- a year (from month 11 to the next month 11) with 13 months has a leap month: the first month
  after month 11 during which the sun's longitude does not cross a multiple of 30°
  (a month without a "major solar term", trung khí); it repeats the number of the month before.

Astronomy (J. Meeus, "Astronomical Algorithms", 2nd ed.): true new moons (ch. 49) with the
periodic terms, the sun's apparent longitude (ch. 25, low accuracy, ~0.01°), and ΔT (TT − UT)
from the Espenak–Meeus polynomials. Dates before 1968 follow UTC+7 too (Vietnam used UTC+8
for its calendar then); pass `tz_hours=8` to reproduce those.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

VIETNAM_TZ_HOURS = 7.0
SYNODIC_MONTH = 29.530588861
_JDN_OF_DATE_ORDINAL_1 = 1721426  # Julian day number of date(1, 1, 1)
MIN_YEAR, MAX_YEAR = 1800, 2199


class LunarDateError(ValueError):
    """A lunar date that does not exist (day 30 of a 29-day month, a leap month that year lacks)."""


@dataclass(frozen=True, order=True)
class LunarDate:
    year: int
    month: int
    leap: bool
    day: int

    def __str__(self) -> str:
        suffix = " (nhuận)" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{suffix}/{self.year}"

    @property
    def label(self) -> str:
        """dd/mm, with 'n' after a leap month: the way lunar dates are printed in Vietnam."""
        return f"{self.day:02d}/{self.month:02d}{'n' if self.leap else ''}"


@dataclass(frozen=True)
class LunarMonth:
    start: int  # Julian day number of day 1
    length: int  # 29 or 30
    month: int
    leap: bool


# --- astronomy ---------------------------------------------------------------------------------


def _jdn(day: date) -> int:
    return day.toordinal() + _JDN_OF_DATE_ORDINAL_1 - 1


def _date(jdn: int) -> date:
    return date.fromordinal(jdn - _JDN_OF_DATE_ORDINAL_1 + 1)


def delta_t_days(year: float) -> float:
    """TT − UT in days (Espenak & Meeus polynomials, good to seconds for 1800–2150)."""
    y = year
    if y < 1860:
        t = y - 1800
        s = (13.72 - 0.332447 * t + 0.0068612 * t**2 + 0.0041116 * t**3 - 0.00037436 * t**4
             + 0.0000121272 * t**5 - 0.0000001699 * t**6 + 0.000000000875 * t**7)
    elif y < 1900:
        t = y - 1860
        s = 7.62 + 0.5737 * t - 0.251754 * t**2 + 0.01680668 * t**3 - 0.0004473624 * t**4 + t**5 / 233174
    elif y < 1920:
        t = y - 1900
        s = -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    elif y < 1941:
        t = y - 1920
        s = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif y < 1961:
        t = y - 1950
        s = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif y < 1986:
        t = y - 1975
        s = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif y < 2005:
        t = y - 2000
        s = (63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3 + 0.000651814 * t**4
             + 0.00002373599 * t**5)
    elif y < 2050:
        t = y - 2000
        s = 62.92 + 0.32217 * t + 0.005589 * t**2
    elif y < 2150:
        s = -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)
    else:
        s = -20 + 32 * ((y - 1820) / 100) ** 2
    return s / 86400.0


def _sin(deg: float) -> float:
    return math.sin(math.radians(deg))


def new_moon_jd(k: int) -> float:
    """The moment (Julian day, UT) of new moon number k, k = 0 near 6 Jan 2000 (Meeus ch. 49)."""
    t = k / 1236.85
    jde = (2451550.09766 + 29.530588861 * k + 0.00015437 * t**2 - 0.000000150 * t**3
           + 0.00000000073 * t**4)
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = 2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3  # sun's mean anomaly
    mp = 201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3  # moon's mean anomaly
    f = 160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3  # argument of latitude
    omega = 124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3
    correction = (
        -0.40720 * _sin(mp) + 0.17241 * e * _sin(m) + 0.01608 * _sin(2 * mp) + 0.01039 * _sin(2 * f)
        + 0.00739 * e * _sin(mp - m) - 0.00514 * e * _sin(mp + m) + 0.00208 * e * e * _sin(2 * m)
        - 0.00111 * _sin(mp - 2 * f) - 0.00057 * _sin(mp + 2 * f) + 0.00056 * e * _sin(2 * mp + m)
        - 0.00042 * _sin(3 * mp) + 0.00042 * e * _sin(m + 2 * f) + 0.00038 * e * _sin(m - 2 * f)
        - 0.00024 * e * _sin(2 * mp - m) - 0.00017 * _sin(omega) - 0.00007 * _sin(mp + 2 * m)
        + 0.00004 * _sin(2 * mp - 2 * f) + 0.00004 * _sin(3 * m) + 0.00003 * _sin(mp + m - 2 * f)
        + 0.00003 * _sin(2 * mp + 2 * f) - 0.00003 * _sin(mp + m + 2 * f)
        + 0.00003 * _sin(mp - m + 2 * f) - 0.00002 * _sin(mp - m - 2 * f)
        - 0.00002 * _sin(3 * mp + m) + 0.00002 * _sin(4 * mp)
    )
    planetary = (
        (299.77 + 0.107408 * k - 0.009173 * t**2, 0.000325), (251.88 + 0.016321 * k, 0.000165),
        (251.83 + 26.651886 * k, 0.000164), (349.42 + 36.412478 * k, 0.000126),
        (84.66 + 18.206239 * k, 0.000110), (141.74 + 53.303771 * k, 0.000062),
        (207.14 + 2.453732 * k, 0.000060), (154.84 + 7.306860 * k, 0.000056),
        (34.52 + 27.261239 * k, 0.000047), (207.19 + 0.121824 * k, 0.000042),
        (291.34 + 1.844379 * k, 0.000040), (161.72 + 24.198154 * k, 0.000037),
        (239.56 + 25.513099 * k, 0.000035), (331.55 + 3.592518 * k, 0.000023),
    )
    jde += correction + sum(coefficient * _sin(angle) for angle, coefficient in planetary)
    year = 2000 + (jde - 2451545.0) / 365.25
    return jde - delta_t_days(year)


def sun_longitude(jd_ut: float) -> float:
    """The sun's apparent ecliptic longitude in degrees [0, 360) at a moment in UT (Meeus ch. 25)."""
    year = 2000 + (jd_ut - 2451545.0) / 365.25
    t = (jd_ut + delta_t_days(year) - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = 357.52911 + 35999.05029 * t - 0.0001537 * t**2
    c = ((1.914602 - 0.004817 * t - 0.000014 * t**2) * _sin(m)
         + (0.019993 - 0.000101 * t) * _sin(2 * m) + 0.000289 * _sin(3 * m))
    omega = 125.04 - 1934.136 * t
    return (l0 + c - 0.00569 - 0.00478 * _sin(omega)) % 360.0


# --- the calendar ------------------------------------------------------------------------------


def _local_day(jd_ut: float, tz_hours: float) -> int:
    """The Julian day number of the civil day (at UTC+tz) that contains a moment."""
    return math.floor(jd_ut + 0.5 + tz_hours / 24)


def _new_moon_day(k: int, tz_hours: float) -> int:
    return _local_day(new_moon_jd(k), tz_hours)


def _major_term_sector(jdn: int, tz_hours: float) -> int:
    """Which 30° sector the sun is in at local midnight starting day jdn (0..11)."""
    return int(sun_longitude(jdn - 0.5 - tz_hours / 24) // 30)


def _k_near(jdn: float) -> int:
    return round((jdn - 2451550.09766) / SYNODIC_MONTH)


def _month_11_start(year: int, tz_hours: float) -> int:
    """Day 1 of lunar month 11 that contains the December solstice of a Gregorian year."""
    k = _k_near(_jdn(date(year, 12, 31))) + 1
    while True:
        start = _new_moon_day(k, tz_hours)
        # Month 11 contains the solstice: the sun has not reached 270° at the start of its first day.
        if start <= _jdn(date(year, 12, 31)) and _major_term_sector(start, tz_hours) < 9:
            return start
        k -= 1


@lru_cache(maxsize=512)
def _sui(year: int, tz_hours: float = VIETNAM_TZ_HOURS) -> tuple[LunarMonth, ...]:
    """The months from month 11 of `year - 1` up to (not including) month 11 of `year`."""
    first = _month_11_start(year - 1, tz_hours)
    end = _month_11_start(year, tz_hours)
    k = _k_near(first)
    while _new_moon_day(k, tz_hours) < first:
        k += 1
    while _new_moon_day(k, tz_hours) > first:
        k -= 1
    starts = [first]
    while starts[-1] < end:
        k += 1
        starts.append(_new_moon_day(k, tz_hours))
    count = len(starts) - 1  # 12 or 13 months
    leap_index = None
    if count == 13:
        for index in range(1, count):
            if _major_term_sector(starts[index], tz_hours) == _major_term_sector(starts[index + 1], tz_hours):
                leap_index = index
                break
    months = []
    number = 10
    for index in range(count):
        leap = index == leap_index
        if not leap:
            number = number % 12 + 1
        months.append(LunarMonth(starts[index], starts[index + 1] - starts[index], number, leap))
    return tuple(months)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise LunarDateError(f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}")


def solar_to_lunar(day: date, *, tz_hours: float = VIETNAM_TZ_HOURS) -> LunarDate:
    """The lunar date of a Gregorian date."""
    _check_year(day.year)
    jdn = _jdn(day)
    sui_year = day.year + 1 if jdn >= _month_11_start(day.year, tz_hours) else day.year
    for month in reversed(_sui(sui_year, tz_hours)):
        if month.start <= jdn:
            lunar_year = sui_year - 1 if month.month >= 11 else sui_year
            return LunarDate(lunar_year, month.month, month.leap, jdn - month.start + 1)
    raise AssertionError("a day before the first month of its own year")  # pragma: no cover


def months_of_year(year: int, *, tz_hours: float = VIETNAM_TZ_HOURS) -> list[LunarMonth]:
    """Lunar year `year`: months 1..12 in order, with its leap month where it falls."""
    _check_year(year)
    this, following = _sui(year, tz_hours), _sui(year + 1, tz_hours)
    return [m for m in this if m.month < 11] + [m for m in following if m.month >= 11]


def leap_month(year: int, *, tz_hours: float = VIETNAM_TZ_HOURS) -> int | None:
    """The number of the leap month of lunar year `year`, or None."""
    for month in months_of_year(year, tz_hours=tz_hours):
        if month.leap:
            return month.month
    return None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False, *,
                   tz_hours: float = VIETNAM_TZ_HOURS) -> date:
    """The Gregorian date of a lunar date; LunarDateError if that date does not exist."""
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise LunarDateError(f"no lunar date {day}/{month}")
    for candidate in months_of_year(year, tz_hours=tz_hours):
        if candidate.month == month and candidate.leap == leap:
            if day > candidate.length:
                raise LunarDateError(f"lunar month {month}/{year} has {candidate.length} days")
            return _date(candidate.start + day - 1)
    raise LunarDateError(f"lunar year {year} has no leap month {month}")


def tet(year: int) -> date:
    """Tết Nguyên Đán: day 1 of month 1 of the lunar year that starts in Gregorian `year`."""
    return lunar_to_solar(year, 1, 1)


def yearly_occurrence(year: int, month: int, day: int) -> date:
    """When a festival held every year on lunar day/month falls in lunar year `year`.

    A festival is kept in the regular month, not the leap one; on day 30 of a month that has
    only 29 days that year it is held on the last day (29).
    """
    try:
        return lunar_to_solar(year, month, day)
    except LunarDateError:
        if day == 30:
            return lunar_to_solar(year, month, 29)
        raise


def occurrences_in_gregorian_year(year: int, month: int, day: int) -> list[date]:
    """Every solar date in Gregorian `year` of a festival on lunar day/month (usually one;
    none or two for months 11–12, which straddle the Gregorian new year)."""
    found = []
    for lunar_year in (year - 1, year):
        if MIN_YEAR <= lunar_year <= MAX_YEAR:
            solar = yearly_occurrence(lunar_year, month, day)
            if solar.year == year:
                found.append(solar)
    return found

