"""users_with(action, at=unit): active people holding the action there, through a grant at or above it."""

from __future__ import annotations

import pytest

from tests.core.factories import grant, person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.accounts.selectors import users_with

pytestmark = pytest.mark.django_db

APPROVE = "reporting.approve"  # held by department and ministry leaders
ENTER = "reporting.enter"


def names(qs) -> set[str]:
    return set(qs.values_list("username", flat=True))


def test_grants_at_the_unit_and_above_it_count(tree):
    dept_leader = person(Role.DEPARTMENT_LEADER, tree.dept_a, username="ld-a")
    minister = person(Role.MINISTRY_LEADER, tree.ministry, username="ld-bo")
    person(Role.DEPARTMENT_LEADER, tree.dept_b, username="ld-b")  # another province
    person(Role.UNIT_STAFF, tree.museum_a, username="bt-a")  # does not hold APPROVE
    assert names(users_with(APPROVE, at=tree.museum_a)) == {"ld-a", "ld-bo"}
    assert names(users_with(APPROVE, at=tree.dept_a)) == {"ld-a", "ld-bo"}
    assert names(users_with(APPROVE, at=tree.ministry)) == {"ld-bo"}
    assert names(users_with(APPROVE, at=tree.dept_a, inherited=False)) == {"ld-a"}
    assert dept_leader.pk and minister.pk


def test_inactive_people_closed_units_and_unknown_actions_do_not(tree):
    from datetime import date

    gone = person(Role.UNIT_STAFF, tree.museum_a, username="gone")
    gone.is_active = False
    gone.save()
    moved = person(Role.UNIT_STAFF, tree.museum_b, username="moved")
    tree.museum_b.valid_to = date(2025, 6, 30)
    tree.museum_b.save()
    assert names(users_with(ENTER, at=tree.museum_a)) == set()
    assert names(users_with(ENTER, at=tree.museum_b)) == set()
    assert names(users_with("nobody.holds.this", at=tree.museum_a)) == set()
    grant(moved, Role.UNIT_STAFF, tree.museum_a)
    assert names(users_with(ENTER, at=tree.museum_a)) == {"moved"}


def test_one_row_per_person_however_many_grants(tree):
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a, username="ld-a")
    grant(leader, Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert list(users_with(ENTER, at=tree.dept_a).values_list("username", flat=True)) == ["ld-a"]


def test_reporting_asks_users_with_not_the_grant_table():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3] / "src" / "vhttdl" / "reporting"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "migrations" not in p.parts and "Grant.objects" in p.read_text(encoding="utf-8")]
    assert offenders == []
