"""Who may view, edit and publish heritage records: role × place in the tree × action."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.core.factories import ROLE_HOME, current_version, person
from tests.heritage.factories import SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage import permissions, services
from vhttdl.heritage.models import RecordStatus

pytestmark = pytest.mark.django_db

PLACES = ("dept_a", "museum_a", "dept_b")
ALL = set(PLACES)
A = {"dept_a", "museum_a"}
EXPECTED = {
    # role: (view, edit, publish) — the record owners each action reaches
    Role.SYSTEM_ADMIN: (ALL, ALL, ALL),
    Role.MINISTRY_LEADER: (ALL, set(), ALL),
    Role.MINISTRY_OFFICER: (ALL, ALL, ALL),
    Role.DEPARTMENT_LEADER: (A, A, A),
    Role.DEPARTMENT_OFFICER: (A, A, set()),
    Role.UNIT_STAFF: ({"museum_a"}, {"museum_a"}, set()),
    Role.APPLICANT: (set(), set(), set()),
}
CASES = [(role, place, action) for role in EXPECTED for place in PLACES for action in ("view", "edit", "publish")]


def actor_and_record(tree, role, place):
    actor = person(role, getattr(tree, ROLE_HOME[role]))
    record = SiteFactory(organisation=getattr(tree, place), status=RecordStatus.DRAFT)
    return actor, record


@pytest.mark.parametrize(("role", "place", "action"), CASES)
def test_permission_matrix(tree, role, place, action):
    actor, record = actor_and_record(tree, role, place)
    allowed = place in EXPECTED[role][("view", "edit", "publish").index(action)]
    check = {"view": permissions.can_view, "edit": permissions.can_edit, "publish": permissions.can_publish}[action]
    assert check(actor, record) is allowed


@pytest.mark.parametrize(("role", "place"), [(r, p) for r in EXPECTED for p in PLACES])
def test_services_follow_the_matrix(tree, role, place):
    actor, record = actor_and_record(tree, role, place)
    may_edit, may_publish = place in EXPECTED[role][1], place in EXPECTED[role][2]
    if may_edit:
        record = services.site_update(actor=actor, site=record, data={"name": "Đã sửa"}, version=record.version)
        assert record.name == "Đã sửa"
    else:
        with pytest.raises(PermissionDenied):
            services.site_update(actor=actor, site=record, data={"name": "Đã sửa"}, version=record.version)
    if may_publish:
        assert services.record_publish(actor=actor, record=record,
                                       version=current_version(record)).status == RecordStatus.PUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            services.record_publish(actor=actor, record=record, version=current_version(record))


@pytest.mark.parametrize(("role", "place"), [(r, p) for r in EXPECTED for p in PLACES])
def test_back_office_detail_follows_the_matrix(client, tree, role, place):
    actor, record = actor_and_record(tree, role, place)
    client.force_login(actor)
    response = client.get(reverse("heritage:manage_detail", args=["sites", record.pk]))
    assert response.status_code == (200 if place in EXPECTED[role][0] else 403)


def test_default_owner_is_the_provinces_department(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert permissions.default_owner(officer, tree.area_a) == tree.dept_a
    # Not allowed in province B: falls back to the actor's own highest unit.
    assert permissions.default_owner(officer, tree.area_b) == tree.dept_a
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    assert permissions.default_owner(staff, tree.area_a) == tree.museum_a
    assert permissions.default_owner(person(Role.APPLICANT, tree.ministry), None) is None


def test_closed_units_cannot_own_new_records(tree):
    from datetime import date

    tree.museum_a.valid_to = date(2025, 6, 30)
    tree.museum_a.save()
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(PermissionDenied):
        permissions.check_owner(officer, tree.museum_a)
