"""An administrator's decisions: checked, audited, visible at once (the cached year is cleared)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.factories import person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.calendar import services
from vhttdl.core.calendar.models import AnnualHoliday, DayDecision
from vhttdl.core.calendar.selectors import is_working_day
from vhttdl.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

WORK = DayDecision.Kind.WORKING_DAY
OFF = DayDecision.Kind.DAY_OFF


@pytest.fixture
def admin(tree):
    return person(Role.SYSTEM_ADMIN, tree.ministry)


def test_a_swapped_working_saturday_and_an_extra_day_off(admin):
    assert not is_working_day(date(2027, 3, 13))  # a Saturday, read (and cached) before the decision
    services.day_decision_save(actor=admin, day=date(2027, 3, 13), kind=WORK, name="Làm bù cho thứ Sáu 19/03/2027",
                               decision="Thông báo số 1/TB-BNV")
    services.day_decision_save(actor=admin, day=date(2027, 3, 19), kind=OFF, name="Nghỉ bắc cầu")
    assert is_working_day(date(2027, 3, 13)) and not is_working_day(date(2027, 3, 19))
    entries = AuditEntry.objects.filter(action="calendar.day_decision_save")
    assert entries.count() == 2 and entries.first().actor_id == admin.pk


def test_changing_and_deleting_a_decision(admin):
    row = services.day_decision_save(actor=admin, day=date(2027, 3, 3), kind=OFF, name="Nghỉ")
    services.day_decision_save(actor=admin, day=date(2028, 3, 3), kind=OFF, name="Nghỉ", instance=row)
    assert is_working_day(date(2027, 3, 3)) and not is_working_day(date(2028, 3, 3))
    services.day_decision_delete(actor=admin, decision=DayDecision.objects.get())
    assert is_working_day(date(2028, 3, 3)) and not DayDecision.objects.exists()
    assert AuditEntry.objects.filter(action="calendar.day_decision_delete").exists()


@pytest.mark.parametrize(("day", "kind", "code"), [
    (date(2027, 3, 3), WORK, "already_working_day"),  # a Wednesday
    (date(2027, 3, 6), OFF, "already_day_off"),  # a Saturday
    (date(2026, 2, 17), OFF, "already_day_off"),  # Tết
])
def test_decisions_that_change_nothing_are_refused(admin, day, kind, code):
    with pytest.raises(InvalidInput) as exc:
        services.day_decision_save(actor=admin, day=day, kind=kind, name="x")
    assert exc.value.code == code and not DayDecision.objects.exists()


def test_one_decision_a_day_and_clean_text(admin):
    services.day_decision_save(actor=admin, day=date(2027, 3, 3), kind=OFF, name="Nghỉ")
    with pytest.raises(InvalidInput) as exc:
        services.day_decision_save(actor=admin, day=date(2027, 3, 3), kind=OFF, name="Nghỉ nữa")
    assert exc.value.code == "duplicate_day"
    for name in ("", "x" * 201, "a\x00b"):
        with pytest.raises(InvalidInput):
            services.day_decision_save(actor=admin, day=date(2027, 3, 4), kind=OFF, name=name)


def test_a_new_annual_holiday_such_as_24_november(admin):
    """DOMAIN §6: a new statutory holiday (Vietnam Culture Day, 24 Nov) must be addable by an admin."""
    assert is_working_day(date(2031, 11, 25))
    services.annual_holiday_save(actor=admin, month=11, day=25, name="Ngày lễ mới", first_year=2031, last_year=2032)
    assert not is_working_day(date(2031, 11, 25)) and is_working_day(date(2033, 11, 25))
    assert AuditEntry.objects.filter(action="calendar.annual_holiday_save").exists()
    with pytest.raises(InvalidInput):
        services.annual_holiday_save(actor=admin, month=2, day=30, name="x", first_year=2030)
    with pytest.raises(InvalidInput):
        services.annual_holiday_save(actor=admin, month=1, day=2, name="x", first_year=2030, last_year=2029)
    services.annual_holiday_delete(actor=admin, holiday=AnnualHoliday.objects.get())
    assert is_working_day(date(2031, 11, 25))


def test_the_admin_saves_through_the_service(client, db):
    from vhttdl.core.accounts.models import User

    root = User.objects.create_superuser("root", "r@x.vn", "pw-123456")
    client.force_login(root)
    url = "/admin/calendar/daydecision/add/"
    bad = client.post(url, {"day": "2027-03-03", "kind": WORK, "name": "x"})
    assert bad.status_code == 200 and "vốn đã là ngày làm việc" in bad.content.decode()
    good = client.post(url, {"day": "2027-03-06", "kind": WORK, "name": "Làm bù", "decision": "TB 1/2027"})
    assert good.status_code == 302
    row = DayDecision.objects.get()
    assert row.updated_by == root and is_working_day(date(2027, 3, 6))
    assert AuditEntry.objects.filter(action="calendar.day_decision_save", actor=root).exists()
    assert client.post(f"/admin/calendar/daydecision/{row.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(action="calendar.day_decision_delete").exists()
