"""Forwarding accepted reports: outbox, mapping, retries with backoff, idempotency at the receiver."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.reporting.analytics.builders import report
from vhttdl.core.outbox.models import Message as OutboxMessage
from vhttdl.core.outbox.services import outbox_drain, outbox_send
from vhttdl.reporting.forwarding.models import StandInReceipt
from vhttdl.reporting.forwarding.selectors import forwarding_status_for
from vhttdl.reporting.forwarding.services import outbox_enqueue_submission
from vhttdl.reporting.models import Submission

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def accepted(tree, meta):
    return report(meta, tree.museum_a, "202401", {("VISITORS", "SEX_M"): "10", ("EVENTS", "default"): "3"},
                  status=Submission.Status.ACCEPTED)


def enqueue(sub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue_submission(submission_id=sub.pk)


def test_an_accepted_report_is_sent_with_codes_mapped(accepted, django_capture_on_commit_callbacks):
    enqueue(accepted, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1
    receipt = StandInReceipt.objects.get()
    assert receipt.idempotency_key == message.idempotency_key
    payload = receipt.payload
    assert payload["orgUnit"] == "QG-BT-AN"  # mapping table
    assert payload["report"] == "BC-01"
    assert payload["period"] == "202401"
    indicators = {(v["indicator"], v["disaggregation"]): v["value"] for v in payload["dataValues"]}
    assert indicators == {("QG-KHACH", "SEX_M"): "10", ("EVENTS", "default"): "3"}  # national_code, else ours


def test_reports_not_accepted_are_not_queued(tree, meta, django_capture_on_commit_callbacks):
    sub = report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.APPROVED)
    enqueue(sub, django_capture_on_commit_callbacks)
    assert not OutboxMessage.objects.exists()


def test_retry_after_failure_with_exponential_backoff(settings, accepted, django_capture_on_commit_callbacks):
    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    enqueue(accepted, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert "503" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)

    assert outbox_drain() == {"sent": 0, "retrying": 0, "failed": 0}  # not due yet
    later = message.next_attempt_at + timedelta(seconds=1)
    assert outbox_drain(now=later) == {"sent": 0, "retrying": 1, "failed": 0}
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at - later == timedelta(seconds=120)  # doubled

    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    assert outbox_drain(now=message.next_attempt_at) == {"sent": 1, "retrying": 0, "failed": 0}
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.last_error == ""
    assert StandInReceipt.objects.count() == 1


def test_gives_up_after_the_maximum_attempts(settings, accepted, django_capture_on_commit_callbacks):
    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    enqueue(accepted, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    for _ in range(2):
        message.refresh_from_db()
        outbox_drain(now=message.next_attempt_at)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 3
    assert forwarding_status_for([accepted.pk])[accepted.pk].badge == "err"


def test_idempotency_sending_twice_is_recorded_once(accepted, django_capture_on_commit_callbacks):
    enqueue(accepted, django_capture_on_commit_callbacks)
    enqueue(accepted, django_capture_on_commit_callbacks)  # the same accepted report again
    assert OutboxMessage.objects.count() == 1
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
    outbox_send(message_id=message.pk, force=True)  # e.g. the first answer was lost on the way back
    receipt = StandInReceipt.objects.get()
    assert receipt.times_received == 2
    assert StandInReceipt.objects.count() == 1


def test_changed_content_gets_a_new_key(accepted, django_capture_on_commit_callbacks):
    enqueue(accepted, django_capture_on_commit_callbacks)
    accepted.values.filter(data_element__code="EVENTS").update(value="4", numeric_value=4)
    enqueue(accepted, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == 2
    assert StandInReceipt.objects.count() == 2


def test_a_wrong_token_is_refused_by_the_receiver(settings, accepted, django_capture_on_commit_callbacks):
    from vhttdl.reporting.forwarding.connector import connector_config, deliver

    config = connector_config()
    settings.NATIONAL_REPORTING_TOKEN = "khac"
    result = deliver(config, {"dataValues": []}, "k1")
    assert result.status == 401 and not result.ok


def test_http_transport_failure_is_recorded_not_raised(settings, accepted, django_capture_on_commit_callbacks):
    settings.NATIONAL_REPORTING_URL = "http://127.0.0.1:9/unreachable"
    settings.NATIONAL_REPORTING_TIMEOUT = 1
    enqueue(accepted, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1 and message.last_error


def test_forwarding_status_for(accepted, tree, meta, django_capture_on_commit_callbacks):
    enqueue(accepted, django_capture_on_commit_callbacks)
    other = report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "1"})
    status = forwarding_status_for([accepted.pk, other.pk])
    assert set(status) == {accepted.pk}
    assert status[accepted.pk].status == "sent" and status[accepted.pk].badge == "ok"


def test_drain_command(settings, accepted, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    enqueue(accepted, django_capture_on_commit_callbacks)
    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("reporting_forward", stdout=out)
    assert "sent 1" in out.getvalue()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_beat_schedule_names_the_task(settings):
    from vhttdl.core.outbox.tasks import drain_due

    entry = settings.CELERY_BEAT_SCHEDULE["outbox-drain-due"]
    assert entry["task"] == drain_due.name
