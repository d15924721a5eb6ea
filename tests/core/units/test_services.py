"""Adding, renaming, moving and closing units: the tree stays consistent and every change is audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.core.factories import current_version, person
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.units import services
from vhttdl.core.units.history import as_of
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db


def test_create_puts_unit_under_parent_and_audits(tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    lib = services.organisation_create(actor=admin, code="SO-A-TV", name="Thư viện An", kind="library",
                                       parent=tree.dept_a)
    assert lib.path.startswith(tree.dept_a.path) and lib.depth == tree.dept_a.depth + 1
    assert set(Organisation.objects.subtree_of(tree.dept_a).values_list("code", flat=True)) == {
        "SO-A", "SO-A-BT", "SO-A-TV"}
    entry = AuditEntry.objects.get(action="organisation.create")
    assert entry.actor == admin and entry.after["code"] == "SO-A-TV"


def test_duplicate_code_is_refused(tree):
    with pytest.raises(InvalidInput) as exc:
        services.organisation_create(actor=SYSTEM, code="SO-A", name="x", kind="museum", parent=tree.ministry)
    assert exc.value.code == "duplicate_code"


def test_department_officer_cannot_create_units(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=officer, code="X1", name="X", kind="museum", parent=tree.dept_a)


def test_rename_keeps_history_and_checks_version(tree):
    renamed = services.organisation_update(actor=SYSTEM, organisation=tree.museum_a, version=1,
                                           name="Bảo tàng tỉnh An")
    assert renamed.version == 2
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before["name"] == "Bảo tàng An" and entry.after["name"] == "Bảo tàng tỉnh An"
    with pytest.raises(Conflict) as exc:
        services.organisation_update(actor=SYSTEM, organisation=tree.museum_a, version=1, name="Cũ")
    assert exc.value.code == "stale_version"
    tree.museum_a.refresh_from_db()
    assert tree.museum_a.name == "Bảo tàng tỉnh An"


def test_move_carries_the_subtree(tree):
    services.organisation_move(actor=SYSTEM, organisation=tree.dept_a, new_parent=tree.agency,
                               version=current_version(tree.dept_a))
    tree.museum_a.refresh_from_db()
    tree.dept_a.refresh_from_db()
    assert tree.museum_a.path.startswith(tree.agency.path)
    assert tree.museum_a.depth == 4 and tree.dept_a.depth == 3
    assert tree.museum_a in Organisation.objects.subtree_of(tree.agency)


def test_move_under_own_descendant_is_refused_and_changes_nothing(tree):
    path_before = tree.dept_a.path
    with pytest.raises(InvalidInput) as exc:
        services.organisation_move(actor=SYSTEM, organisation=tree.dept_a, new_parent=tree.museum_a,
                                   version=current_version(tree.dept_a))
    assert exc.value.code == "move_into_own_subtree"
    tree.dept_a.refresh_from_db()
    assert tree.dept_a.path == path_before
    assert not AuditEntry.objects.filter(action="organisation.move").exists()


def test_close_with_successor(tree):
    services.organisation_close(actor=SYSTEM, organisation=tree.museum_b, on=date(2025, 6, 30),
                                successors=[tree.museum_a], version=current_version(tree.museum_b))
    tree.museum_b.refresh_from_db()
    assert tree.museum_b.valid_to == date(2025, 6, 30)
    assert as_of(tree.museum_b, date(2026, 1, 1)) == [tree.museum_a]
    assert as_of(tree.museum_b, date(2025, 1, 1)) == [tree.museum_b]


def test_close_refused_while_children_are_open(tree):
    with pytest.raises(InvalidInput) as exc:
        services.organisation_close(actor=SYSTEM, organisation=tree.dept_b, version=current_version(tree.dept_b))
    assert exc.value.code == "has_open_children"
