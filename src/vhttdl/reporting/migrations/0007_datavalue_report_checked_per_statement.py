"""PostgreSQL: the database still refuses a value without a report, but checks it once per statement
instead of once per row.

The foreign key from `reporting_datavalue.submission_id` ran one look-up (and one row lock) per value
inserted: more than half of what a bulk COPY of values cost. Statement-level triggers with
transition tables do the same checks set-wise: after an INSERT or UPDATE of values, every report
named must exist (locked FOR KEY SHARE, as the foreign key did, so it cannot be deleted meanwhile);
after a DELETE of reports, no value may still name one of them. Unlike the deferred foreign key, the
check runs at the end of each statement (a report must be written before its values, which every
path does). SQLite keeps the foreign key (the model is unchanged, so are Django's migration state and
the schema a test database gets there).
"""

from django.db import migrations

# The reports named are looked up by `id = ANY(array)` through EXECUTE: planned on every call with
# the table as it is (a plan cached by the session when the table was small scanned every report once
# it held hundreds of thousands), and an index scan whatever the planner guesses about the transition
# table (a join with it was planned as a scan of every report).
FUNCTIONS = """
CREATE OR REPLACE FUNCTION reporting_datavalue_reports_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint[] := ARRAY(SELECT DISTINCT submission_id FROM added);
    found bigint;
BEGIN
    EXECUTE 'SELECT count(*) FROM (SELECT 1 FROM reporting_submission s WHERE s.id = ANY($1) '
            'FOR KEY SHARE OF s) locked' INTO found USING wanted;
    IF found <> cardinality(wanted) THEN
        RAISE EXCEPTION 'a data value names a report that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reporting_submission_without_values() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    still boolean;
BEGIN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM reporting_datavalue v WHERE v.submission_id = ANY($1))'
        INTO still USING ARRAY(SELECT id FROM gone);
    IF still THEN
        RAISE EXCEPTION 'a deleted report still has data values'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'reporting_datavalue';
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER reporting_datavalue_reports_on_insert AFTER INSERT ON reporting_datavalue
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION reporting_datavalue_reports_exist();
CREATE TRIGGER reporting_datavalue_reports_on_update AFTER UPDATE ON reporting_datavalue
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION reporting_datavalue_reports_exist();
CREATE TRIGGER reporting_submission_values_on_delete AFTER DELETE ON reporting_submission
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION reporting_submission_without_values();
"""

DROP = """
DROP TRIGGER IF EXISTS reporting_datavalue_reports_on_insert ON reporting_datavalue;
DROP TRIGGER IF EXISTS reporting_datavalue_reports_on_update ON reporting_datavalue;
DROP TRIGGER IF EXISTS reporting_submission_values_on_delete ON reporting_submission;
DROP FUNCTION IF EXISTS reporting_datavalue_reports_exist();
DROP FUNCTION IF EXISTS reporting_submission_without_values();
"""


def _foreign_keys(cursor) -> list[str]:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'reporting_datavalue'::regclass "
        "AND confrelid = 'reporting_submission'::regclass"
    )
    return [name for (name,) in cursor.fetchall()]


def per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in _foreign_keys(cursor):
            cursor.execute(f'ALTER TABLE reporting_datavalue DROP CONSTRAINT "{name}"')
        cursor.execute(FUNCTIONS)
        cursor.execute(TRIGGERS)


def per_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP)
        if not _foreign_keys(cursor):
            cursor.execute(
                "ALTER TABLE reporting_datavalue ADD CONSTRAINT reporting_datavalue_submission_id_fk_reporting "
                "FOREIGN KEY (submission_id) REFERENCES reporting_submission (id) DEFERRABLE INITIALLY DEFERRED"
            )


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0006_merge_uids_and_state_tables"),
    ]

    operations = [
        migrations.RunPython(per_statement, per_row),
    ]
