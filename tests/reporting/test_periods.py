from datetime import date

import pytest

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting import periods as P
from vhttdl.reporting.models import Period, PeriodType, ReportForm


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2025", PeriodType.YEARLY, date(2025, 1, 1), date(2025, 12, 31)),
        ("2025S1", PeriodType.HALF_YEARLY, date(2025, 1, 1), date(2025, 6, 30)),
        ("2025S2", PeriodType.HALF_YEARLY, date(2025, 7, 1), date(2025, 12, 31)),
        ("2025N9", PeriodType.NINE_MONTHS, date(2025, 1, 1), date(2025, 9, 30)),
        ("2025Q1", PeriodType.QUARTERLY, date(2025, 1, 1), date(2025, 3, 31)),
        ("2024Q4", PeriodType.QUARTERLY, date(2024, 10, 1), date(2024, 12, 31)),
        ("202402", PeriodType.MONTHLY, date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-03-01_2025-03-15", PeriodType.AD_HOC, date(2025, 3, 1), date(2025, 3, 15)),
        (" 2025q2 ", PeriodType.QUARTERLY, date(2025, 4, 1), date(2025, 6, 30)),
    ],
)
def test_parse(code, kind, start, end):
    parsed = P.parse_period(code)
    assert (parsed.period_type, parsed.start_date, parsed.end_date) == (kind, start, end)
    assert P.period_type_of(code) == kind


@pytest.mark.parametrize(
    "code",
    [
        "",
        "25",
        "2025Q5",
        "202513",
        "202500",
        "2025S3",
        "2025N8",
        "abc",
        "2025-03-15_2025-03-01",
        "2025-02-30_2025-03-01",
        "1800",
        "2025W01",
    ],
)
def test_bad_codes_say_what_is_expected(code):
    with pytest.raises(InvalidInput) as exc:
        P.parse_period(code)
    assert exc.value.code == "invalid_period"
    assert "không hợp lệ" in exc.value.message or "trước ngày" in exc.value.message


@pytest.mark.django_db
def test_period_for_code_creates_once():
    first = P.period_for_code("2025Q3")
    again = P.period_for_code("2025Q3")
    assert first.pk == again.pk and Period.objects.count() == 1
    assert (first.start_date, first.end_date) == (date(2025, 7, 1), date(2025, 9, 30))
    with pytest.raises(InvalidInput):
        P.period_for_code("2025Q9")


@pytest.mark.django_db
def test_ranges_and_children():
    months = P.periods_in_range(PeriodType.MONTHLY, date(2024, 11, 15), date(2025, 3, 31))
    assert [p.code for p in months] == ["202412", "202501", "202502", "202503"]
    year = P.period_for_code("2025")
    assert [p.code for p in P.child_periods(year, PeriodType.QUARTERLY)] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert len(P.child_periods(year, PeriodType.MONTHLY)) == 12
    assert [p.code for p in P.child_periods(year, PeriodType.HALF_YEARLY)] == ["2025S1", "2025S2"]
    assert [p.code for p in P.child_periods(P.period_for_code("2025N9"), PeriodType.QUARTERLY)] == [
        "2025Q1",
        "2025Q2",
        "2025Q3",
    ]
    with pytest.raises(InvalidInput):
        P.child_periods(P.period_for_code("202501"), PeriodType.QUARTERLY)
    assert P.codes_in_range(PeriodType.NINE_MONTHS, date(2023, 1, 1), date(2025, 9, 30)) == [
        "2023N9",
        "2024N9",
        "2025N9",
    ]


def _form(window, anchor=ReportForm.DeadlineAnchor.LAST_MONTH_OF_PERIOD, day=20, period_type="monthly"):
    return ReportForm(
        code="X", title="X", period_type=period_type, data_window=window, deadline_anchor=anchor, deadline_day=day
    )


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("202501", date(2024, 12, 15), date(2025, 1, 14)),
        ("202503", date(2025, 2, 15), date(2025, 3, 14)),
        ("2025Q1", date(2024, 12, 15), date(2025, 3, 14)),
        ("2025Q3", date(2025, 6, 15), date(2025, 9, 14)),
        ("2025S1", date(2024, 12, 15), date(2025, 6, 14)),
        ("2025N9", date(2024, 12, 15), date(2025, 9, 14)),
        ("2025", date(2024, 12, 15), date(2025, 12, 14)),
    ],
)
def test_decree_09_windows(code, start, end):
    assert P.data_window(_form(ReportForm.DataWindow.DECREE_09), P.parse_period(code)) == (start, end)


def test_calendar_window_is_the_period():
    parsed = P.parse_period("2025Q1")
    assert P.data_window(_form(ReportForm.DataWindow.CALENDAR), parsed) == (date(2025, 1, 1), date(2025, 3, 31))


@pytest.mark.django_db
def test_deadlines():
    last_month = _form(ReportForm.DataWindow.DECREE_09, ReportForm.DeadlineAnchor.LAST_MONTH_OF_PERIOD, 20)
    assert P.deadline_for(last_month, P.parse_period("202501")) == date(2025, 1, 20)
    assert P.deadline_for(last_month, P.parse_period("2025Q2")) == date(2025, 6, 20)
    annual = _form(ReportForm.DataWindow.DECREE_09, ReportForm.DeadlineAnchor.LAST_MONTH_OF_PERIOD, 15)
    assert P.deadline_for(annual, P.parse_period("2025")) == date(2025, 12, 15)
    after = _form(ReportForm.DataWindow.CALENDAR, ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD, 31)
    assert P.deadline_for(after, P.parse_period("202501")) == date(2025, 2, 28)  # clamped
    assert P.nominal_deadline_for(after, P.parse_period("2025")) == date(2026, 1, 31)
    assert P.deadline_for(after, P.parse_period("2025")) == date(2026, 2, 2)  # 31 Jan 2026 is a Saturday
    assert P.deadline_for(after, P.parse_period("2025-03-01_2025-03-15")) == date(2025, 4, 15)


def test_labels_and_previous():
    assert P.period_label(P.parse_period("202501")) == "Tháng 01/2025"
    assert P.period_label(P.parse_period("2025Q2")) == "Quý 2/2025"
    assert P.previous_period_code("202501") == "202412"
    assert P.previous_period_code("2025Q1") == "2024Q4"
    assert P.previous_period_code("2025N9") == "2024N9"


# --- deadlines on days off (core.calendar) ------------------------------------------------------


@pytest.fixture
def fresh_calendar():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_deadline_on_a_day_off_moves_to_the_next_working_day(fresh_calendar):
    monthly = _form(ReportForm.DataWindow.CALENDAR, ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD, 20)
    # 20 April 2025 is a Sunday: due on Monday the 21st.
    assert P.nominal_deadline_for(monthly, P.parse_period("202503")) == date(2025, 4, 20)
    assert P.deadline_for(monthly, P.parse_period("202503")) == date(2025, 4, 21)
    # 20 February 2026 is in the Tết holiday (16–20 Feb, then the weekend): due on Monday 23 Feb.
    assert P.deadline_for(monthly, P.parse_period("202601")) == date(2026, 2, 23)
    # A working day stays as it is.
    assert P.deadline_for(monthly, P.parse_period("202501")) == date(2025, 2, 20)


@pytest.mark.django_db
def test_deadlines_follow_the_administrators_decisions(fresh_calendar):
    from tests.core.factories import build_tree, person
    from vhttdl.core.accounts.roles import Role
    from vhttdl.core.calendar.models import DayDecision
    from vhttdl.core.calendar.services import day_decision_save

    admin = person(Role.SYSTEM_ADMIN, build_tree().ministry)
    monthly = _form(ReportForm.DataWindow.CALENDAR, ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD, 20)
    assert P.deadline_for(monthly, P.parse_period("202703")) == date(2027, 4, 20)  # a Tuesday
    day_decision_save(actor=admin, day=date(2027, 4, 20), kind=DayDecision.Kind.DAY_OFF, name="Nghỉ thêm")
    assert P.deadline_for(monthly, P.parse_period("202703")) == date(2027, 4, 21)
    # A Saturday made a working day keeps a deadline that falls on it.
    assert P.deadline_for(monthly, P.parse_period("202705")) == date(2027, 6, 21)  # 20 June 2027: a Sunday
    day_decision_save(actor=admin, day=date(2027, 6, 20), kind=DayDecision.Kind.WORKING_DAY, name="Làm bù")
    assert P.deadline_for(monthly, P.parse_period("202705")) == date(2027, 6, 20)


@pytest.mark.django_db
def test_entry_closes_counting_from_the_moved_deadline(fresh_calendar):
    form = _form(ReportForm.DataWindow.CALENDAR, ReportForm.DeadlineAnchor.MONTH_AFTER_PERIOD, 20)
    form.expiry_days = 5
    assert P.entry_closes_on(form, P.parse_period("202503")) == date(2025, 4, 26)  # 21 April + 5 days
