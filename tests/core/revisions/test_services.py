"""Revisions of any record: numbered per record, the changed fields before/after, in bulk too."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.core.factories import person
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.revisions.selectors import revisions_of, revisions_of_id
from vhttdl.core.revisions.services import (
    RevisionInput,
    changes_between,
    revision_record,
    revisions_record_bulk,
)
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db


def test_numbers_per_record_who_and_what_changed(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with transaction.atomic():
        first = revision_record(actor=officer, obj=tree.dept_a, action="created", before=None, after={"name": "A"})
        second = revision_record(actor=SYSTEM, obj=tree.dept_a, action="updated", before={"name": "A", "x": 1},
                                 after={"name": "B", "x": 1})
        other = revision_record(actor=officer, obj=tree.dept_b, action="created", before=None, after={"name": "C"})
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.actor == officer and first.actor_name == officer.get_username() and second.actor is None
    assert second.changes == {"name": ["A", "B"]} and second.snapshot == {"name": "B", "x": 1}
    assert list(revisions_of(tree.dept_a)) == [second, first]
    assert list(revisions_of_id(Organisation, tree.dept_b.pk)) == [other]


def test_bulk_revisions_continue_each_records_numbering(tree):
    with transaction.atomic():
        revision_record(actor=SYSTEM, obj=tree.dept_a, action="created", before=None, after={"name": "A"})
        count = revisions_record_bulk(actor=SYSTEM, model=Organisation, action="imported", items=[
            RevisionInput(tree.dept_a.pk, {"name": "A"}, {"name": "A2"}),
            RevisionInput(tree.dept_b.pk, None, {"name": "B", "note": ""}),
        ])
    assert count == 2
    a, b = revisions_of(tree.dept_a).first(), revisions_of(tree.dept_b).get()
    assert (a.number, a.changes) == (2, {"name": ["A", "A2"]})
    assert (b.number, b.changes) == (1, {"name": [None, "B"]})  # a creation lists what is set


def test_changes_between():
    assert changes_between(None, {"a": 1}) == {"a": [None, 1]}
    assert changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
