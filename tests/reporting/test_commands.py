from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.core.factories import person
from tests.reporting.factories import make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import ReportForm

pytestmark = pytest.mark.django_db


def test_load_forms_command_is_idempotent(tree):
    out = StringIO()
    call_command("reporting_load_forms", stdout=out)
    assert "forms: 5," in out.getvalue()
    again = StringIO()
    call_command("reporting_load_forms", stdout=again)
    assert again.getvalue().strip() == "categories: 0, combos: 0, elements: 0, forms: 0, rules: 0 created"
    assert set(ReportForm.objects.values_list("code", flat=True)) == {
        "01.N/DSVH",
        "01.T/DL",
        "01.N/TDTT",
        "01.Q/CDS",
        "01.N/TV",
    }
    tourism = ReportForm.objects.get(code="01.T/DL")
    assert tourism.versions.get().data_elements.count() == 9


def test_reminders_command_dry_run_and_send(tree, django_capture_on_commit_callbacks):
    make_form()
    person(Role.UNIT_STAFF, tree.museum_a, email="bt@a.vn")
    out = StringIO()
    call_command("reporting_reminders", "--dry-run", "--on", "2025-02-18", stdout=out)
    assert "SO-A-BT" in out.getvalue() and "4 reports due" in out.getvalue()
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reporting_reminders", "--on", "2025-02-18", stdout=out)
    assert any("bt@a.vn" in m.to and "T.01" in m.subject for m in mail.outbox)


def test_reminders_task_runs_inline(tree, monkeypatch):
    from vhttdl.reporting import tasks

    seen = {}
    monkeypatch.setattr(
        "vhttdl.reporting.services.reminders_send", lambda days_ahead: seen.setdefault("days", days_ahead) or 0
    )
    tasks.send_reminders.delay(days_ahead=5)
    assert seen == {"days": 5}
