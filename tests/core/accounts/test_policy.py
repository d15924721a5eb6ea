"""The permission matrix: role × place in the tree × action, through the one policy."""

from __future__ import annotations

import pytest

from tests.core.factories import ROLE_HOME, person
from vhttdl.core.accounts.policy import can, organisations_for, scope
from vhttdl.core.accounts.roles import Action, Role
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db

PLACES = ["ministry", "agency", "dept_a", "museum_a", "dept_b", "museum_b"]

# Which places each role (granted at its home in ROLE_HOME) reaches, per action.
EXPECTED: dict[tuple[str, str], set[str]] = {}
for role in Role.values:
    for action in (Action.UNITS_VIEW, Action.UNITS_MANAGE, Action.REPORTING_ENTER, Action.REPORTING_APPROVE,
                   Action.HERITAGE_EDIT, Action.ACCOUNTS_MANAGE, Action.SERVICES_APPLY):
        EXPECTED[(role, action)] = set()

ALL = set(PLACES)
UNDER_A = {"dept_a", "museum_a"}
for action in (Action.UNITS_VIEW, Action.UNITS_MANAGE, Action.REPORTING_ENTER, Action.REPORTING_APPROVE,
               Action.HERITAGE_EDIT, Action.ACCOUNTS_MANAGE, Action.SERVICES_APPLY):
    EXPECTED[(Role.SYSTEM_ADMIN, action)] = ALL
EXPECTED[(Role.MINISTRY_LEADER, Action.UNITS_VIEW)] = ALL
EXPECTED[(Role.MINISTRY_LEADER, Action.REPORTING_APPROVE)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, Action.UNITS_VIEW)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, Action.REPORTING_ENTER)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, Action.HERITAGE_EDIT)] = ALL
EXPECTED[(Role.DEPARTMENT_LEADER, Action.UNITS_VIEW)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, Action.REPORTING_ENTER)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, Action.REPORTING_APPROVE)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, Action.HERITAGE_EDIT)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, Action.UNITS_VIEW)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, Action.REPORTING_ENTER)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, Action.HERITAGE_EDIT)] = UNDER_A
EXPECTED[(Role.UNIT_STAFF, Action.UNITS_VIEW)] = {"museum_a"}
EXPECTED[(Role.UNIT_STAFF, Action.REPORTING_ENTER)] = {"museum_a"}
EXPECTED[(Role.UNIT_STAFF, Action.HERITAGE_EDIT)] = {"museum_a"}
EXPECTED[(Role.APPLICANT, Action.SERVICES_APPLY)] = ALL

CASES = [(role, action, place) for (role, action) in EXPECTED for place in PLACES]


@pytest.mark.parametrize(("role", "action", "place"), CASES)
def test_matrix(tree, role, action, place):
    user = person(role, getattr(tree, ROLE_HOME[role]))
    target = getattr(tree, place)
    expected = place in EXPECTED[(role, action)]
    assert can(user, action, target) is expected
    scoped = set(scope(user, action, Organisation.objects.all(), via="").values_list("code", flat=True))
    assert (target.code in scoped) is expected


def test_several_grants_add_up(tree):
    from tests.core.factories import grant

    user = person(Role.UNIT_STAFF, tree.museum_a)
    grant(user, Role.DEPARTMENT_OFFICER, tree.dept_b)
    assert set(organisations_for(user, Action.REPORTING_ENTER).values_list("code", flat=True)) == {
        "SO-A-BT", "SO-B", "SO-B-BT"}


def test_grant_at_closed_unit_gives_nothing(tree):
    from datetime import date

    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.core.units.services import organisation_close

    user = person(Role.UNIT_STAFF, tree.museum_b)
    organisation_close(actor=SYSTEM, organisation=tree.museum_b, on=date(2025, 6, 30))
    assert not can(user, Action.REPORTING_ENTER, tree.museum_b)


def test_anonymous_and_inactive_get_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), Action.UNITS_VIEW, tree.ministry)
    user = person(Role.SYSTEM_ADMIN, tree.ministry)
    user.is_active = False
    assert not can(user, Action.UNITS_VIEW, tree.ministry)
    assert scope(AnonymousUser(), Action.UNITS_VIEW, Organisation.objects.all(), via="").count() == 0
