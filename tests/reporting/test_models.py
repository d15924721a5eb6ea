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
