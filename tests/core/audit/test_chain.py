"""The audit log is append-only and tamper-evident: `audit_verify` finds an edited or deleted entry."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.core.factories import current_version
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.audit.services import audit_record, audit_verify
from vhttdl.core.units import services

pytestmark = pytest.mark.django_db(transaction=True)


def _make_entries(tree, n=3):
    for i in range(n):
        services.organisation_update(actor=SYSTEM, organisation=tree.museum_a, name=f"Bảo tàng {i}",
                                     version=current_version(tree.museum_a))


def _drop_guards():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")


def _restore_guards():
    from importlib import import_module

    migration = import_module("vhttdl.core.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
        else:
            for sql in migration.SQLITE_FORWARD:
                cursor.execute(sql)


def test_intact_chain_verifies(tree):
    _make_entries(tree)
    assert audit_verify() == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 3 entries" in out.getvalue()


def test_chain_links_each_entry_to_the_previous(tree):
    _make_entries(tree)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash


def test_database_refuses_update_and_delete(tree):
    _make_entries(tree, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(action="forged")
    if connection.vendor == "postgresql":  # SQLite: deletion is caught by the chain (see the migration)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)


def test_model_refuses_update_and_delete(tree):
    _make_entries(tree, 1)
    entry = AuditEntry.objects.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_verify_finds_an_edited_entry(tree):
    _make_entries(tree)
    _drop_guards()
    try:
        AuditEntry.objects.filter(seq=2).update(after={"name": "đã sửa lén"})
    finally:
        _restore_guards()
    problems = audit_verify()
    assert [(p.seq, "edited" in p.reason) for p in problems] == [(2, True)]
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=io.StringIO(), stderr=io.StringIO())


def test_verify_finds_a_deleted_entry(tree):
    _make_entries(tree)
    _drop_guards()
    try:
        AuditEntry.objects.filter(seq=2)._raw_delete(AuditEntry.objects.db)
    finally:
        _restore_guards()
    reasons = {p.seq: p.reason for p in audit_verify()}
    assert "missing" in reasons[2] and "broken" in reasons[3]


def test_audit_needs_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=SYSTEM, action="x", object_type="t", object_id=1)
