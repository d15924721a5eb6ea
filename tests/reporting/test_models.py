"""The data value table keeps one database reference (to its report); the others are guarded by Django."""

import pytest
from django.db import connection
from django.db.models import ProtectedError

from tests.reporting.factories import filled_submission, make_form
from vhttdl.reporting.models import DataElement, DataValue, Period


def test_values_protect_their_element_and_period_and_go_with_their_report(tree):
    form = make_form().form
    submission = filled_submission(form, tree.dept_a)
    assert DataValue.objects.filter(submission=submission).count() == 6

    with pytest.raises(ProtectedError):
        DataElement.objects.get(code="HELD").delete()
    with pytest.raises(ProtectedError):
        Period.objects.get(code="202501").delete()

    submission.delete()
    assert not DataValue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_value_without_a_report(tree):
    from django.db import IntegrityError, transaction

    form = make_form().form
    submission = filled_submission(form, tree.dept_a)
    value = DataValue.objects.filter(submission=submission).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE reporting_datavalue SET submission_id = %s WHERE id = %s",
                           [submission.pk + 999, value.pk])
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                cursor.execute("PRAGMA foreign_key_check")
                if cursor.fetchall():
                    raise IntegrityError("foreign key check failed")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL checks the reference once per statement")
def test_postgresql_checks_the_reference_per_statement_both_ways(tree):
    """Migration 0007: an insert naming a missing report, or the deletion of a report that still has
    values, is refused by the database itself (statement triggers in place of the per-row foreign key)."""
    from django.db import IntegrityError, transaction

    submission = filled_submission(make_form().form, tree.dept_a)
    value = DataValue.objects.filter(submission=submission).first()
    columns = ("data_element_id, category_option_combo_id, organisation_id, period_id, value, comment, "
               "updated_at")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO reporting_datavalue (submission_id, {columns}) "  # noqa: S608 - our column names
            f"SELECT submission_id + 999, {columns} FROM reporting_datavalue WHERE id = %s", [value.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_submission WHERE id = %s", [submission.pk])
    assert DataValue.objects.filter(submission=submission).count() == 6
    submission.delete()  # through Django: the values go first, then the report
    assert not DataValue.objects.exists()
