"""Reminders sent and cell history are the application's own tables; the audit log is not read for them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.core.factories import person
from tests.reporting.factories import make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import Conflict
from vhttdl.reporting.models import CellChange, ReminderSent
from vhttdl.reporting.periods import period_for_code
from vhttdl.reporting.services import CellInput, changes_since, reminders_send, submission_open, submission_values_save

pytestmark = pytest.mark.django_db

AUDIT_TABLE = AuditEntry._meta.db_table


@pytest.fixture
def submission(tree):
    form = make_form().form
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    return submission_open(actor=staff, form=form, organisation=tree.museum_a, period=period_for_code("202501"))


def test_each_save_writes_its_cells_history_in_the_same_transaction(tree, submission):
    one = person(Role.UNIT_STAFF, tree.museum_a)
    submission_values_save(actor=one, submission=submission, version=1,
                           cells=[CellInput("HELD", "default", "50"), CellInput("DIGITISED", "default", "5")])
    submission_values_save(actor=one, submission=submission, version=2, cells=[CellInput("HELD", "default", "60")])
    rows = list(CellChange.objects.filter(submission=submission).order_by("pk")
                .values_list("version", "element", "old", "new", "actor_name"))
    assert rows == [(2, "HELD", None, "50", one.username), (2, "DIGITISED", None, "5", one.username),
                    (3, "HELD", "50", "60", one.username)]
    # A save refused as a whole writes no history.
    with pytest.raises(Conflict):
        submission_values_save(actor=one, submission=submission, version=1, cells=[CellInput("HELD", "default", "1")])
    assert CellChange.objects.filter(submission=submission).count() == 3


def test_changes_since_reads_the_cell_history_not_the_audit_log(tree, submission):
    other = person(Role.UNIT_STAFF, tree.museum_a)
    submission_values_save(actor=other, submission=submission, version=1, cells=[CellInput("HELD", "default", "50")])
    submission_values_save(actor=other, submission=submission, version=2, cells=[CellInput("HELD", "default", "70")])
    with CaptureQueriesContext(connection) as captured:
        changed = changes_since(submission, 1)
    assert [(c["element"], c["old"], c["new"], c["by"]) for c in changed] == [("HELD", "50", "70", other.username)]
    assert not [q for q in captured.captured_queries if AUDIT_TABLE in q["sql"]]
    assert changes_since(submission, 3) == []
    # The history alone is what counts: a change recorded there (and nowhere in the audit log) is listed.
    CellChange.objects.create(submission=submission, version=9, element="VISITS", combo="DOM", old="1", new="2",
                              actor_name="api-client")
    assert {c["element"] for c in changes_since(submission, 3)} == {"VISITS"}


def test_reminders_are_remembered_in_their_own_table(tree, django_capture_on_commit_callbacks):
    make_form()
    person(Role.UNIT_STAFF, tree.museum_a, email="bt@a.vn")
    on = date(2025, 2, 18)  # the deadline of 202501 is 20 Feb
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(days_ahead=3, on=on)
    assert sent >= 1
    row = ReminderSent.objects.get(organisation=tree.museum_a)
    assert row.day == on and row.recipients == ["bt@a.vn"]
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days_ahead=3, on=on) == 0
    assert not mail.outbox
    assert not [q["sql"] for q in captured.captured_queries if AUDIT_TABLE in q["sql"]]


def test_a_reminder_row_without_any_audit_entry_still_stops_a_second_reminder(tree, django_capture_on_commit_callbacks):
    form = make_form().form
    person(Role.UNIT_STAFF, tree.museum_a, email="bt@a.vn")
    on = date(2025, 2, 18)
    period = period_for_code("202501")
    for unit in (tree.museum_a, tree.museum_b, tree.dept_a, tree.dept_b, tree.agency):
        ReminderSent.objects.create(form=form, organisation=unit, period=period, day=on)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days_ahead=3, on=on) == 0
    assert not AuditEntry.objects.filter(action="reporting.reminder").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days_ahead=3, on=date(2025, 2, 19)) >= 1  # the next day, again
