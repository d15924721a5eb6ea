"""The permission matrix: role × place in the tree × action, through the one policy.

The role table is assembled from the installed modules (core's own, reporting, heritage).
"""

from __future__ import annotations

import pytest

from tests.core.factories import ROLE_HOME, current_version, person
from vhttdl.core.accounts.policy import can, organisations_for, scope
from vhttdl.core.accounts.roles import Action, Role
from vhttdl.core.units.models import Organisation
from vhttdl.heritage.actions import HeritageAction
from vhttdl.reporting.actions import ReportingAction

pytestmark = pytest.mark.django_db

PLACES = ["ministry", "agency", "dept_a", "museum_a", "dept_b", "museum_b"]

# Which places each role (granted at its home in ROLE_HOME) reaches, per action.
EXPECTED: dict[tuple[str, str], set[str]] = {}
for role in Role.values:
    for action in (Action.UNITS_VIEW, Action.UNITS_MANAGE, ReportingAction.ENTER, ReportingAction.APPROVE,
                   HeritageAction.EDIT, Action.ACCOUNTS_MANAGE):
        EXPECTED[(role, action)] = set()

ALL = set(PLACES)
UNDER_A = {"dept_a", "museum_a"}
for action in (Action.UNITS_VIEW, Action.UNITS_MANAGE, ReportingAction.ENTER, ReportingAction.APPROVE,
               HeritageAction.EDIT, Action.ACCOUNTS_MANAGE):
    EXPECTED[(Role.SYSTEM_ADMIN, action)] = ALL
EXPECTED[(Role.MINISTRY_LEADER, Action.UNITS_VIEW)] = ALL
EXPECTED[(Role.MINISTRY_LEADER, ReportingAction.APPROVE)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, Action.UNITS_VIEW)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, ReportingAction.ENTER)] = ALL
EXPECTED[(Role.MINISTRY_OFFICER, HeritageAction.EDIT)] = ALL
EXPECTED[(Role.DEPARTMENT_LEADER, Action.UNITS_VIEW)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, ReportingAction.ENTER)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, ReportingAction.APPROVE)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_LEADER, HeritageAction.EDIT)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, Action.UNITS_VIEW)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, ReportingAction.ENTER)] = UNDER_A
EXPECTED[(Role.DEPARTMENT_OFFICER, HeritageAction.EDIT)] = UNDER_A
EXPECTED[(Role.UNIT_STAFF, Action.UNITS_VIEW)] = {"museum_a"}
EXPECTED[(Role.UNIT_STAFF, ReportingAction.ENTER)] = {"museum_a"}
EXPECTED[(Role.UNIT_STAFF, HeritageAction.EDIT)] = {"museum_a"}

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
    assert set(organisations_for(user, ReportingAction.ENTER).values_list("code", flat=True)) == {
        "SO-A-BT", "SO-B", "SO-B-BT"}


def test_grant_at_closed_unit_gives_nothing(tree):
    from datetime import date

    from vhttdl.core.accounts.policy import SYSTEM
    from vhttdl.core.units.services import organisation_close

    user = person(Role.UNIT_STAFF, tree.museum_b)
    organisation_close(actor=SYSTEM, organisation=tree.museum_b, on=date(2025, 6, 30),
                       version=current_version(tree.museum_b))
    assert not can(user, ReportingAction.ENTER, tree.museum_b)


def test_anonymous_and_inactive_get_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), Action.UNITS_VIEW, tree.ministry)
    user = person(Role.SYSTEM_ADMIN, tree.ministry)
    user.is_active = False
    assert not can(user, Action.UNITS_VIEW, tree.ministry)
    assert scope(AnonymousUser(), Action.UNITS_VIEW, Organisation.objects.all(), via="").count() == 0
