"""Make the audit table append-only in the database itself.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, a deliberate DDL-level step, still works: the test
runner flushes tables with it). SQLite refuses UPDATE; it has no TRUNCATE, so a DELETE trigger
would also block the test runner's flush: there a deleted entry is caught by the hash chain.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",

]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_entry_no_update;"]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_append_only();",
]


def forward(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
