"""The outbox's rules with a destination of its own: idempotency, backoff, dead letters, drains."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.outbox.conftest import TEST_DESTINATION
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import InvalidInput
from vhttdl.core.modules import OutboxDelivery, OutboxRetryPolicy
from vhttdl.core.outbox.dispatch import outbox_put
from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.services import backoff_delay, outbox_drain, outbox_enqueue, outbox_send

pytestmark = pytest.mark.django_db

FAIL = OutboxDelivery(False, 503, "unavailable")


def put(key="k-1", payload=None, **kwargs):
    return outbox_enqueue(destination=TEST_DESTINATION, key=key, payload=payload or {"n": 1}, **kwargs)


def test_the_same_key_is_one_message_and_one_receipt(receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_put(destination=TEST_DESTINATION, key="k-1", payload={"n": 1})
    with django_capture_on_commit_callbacks(execute=True) as again:
        second = outbox_put(destination=TEST_DESTINATION, key="k-1", payload={"n": 2})
    assert first.created and not second.created and second.message.pk == first.message.pk
    assert again == []  # nothing new to send
    assert Message.objects.count() == 1 and Message.objects.get().payload == {"n": 1}
    assert receiver.received == {"k-1": 1}
    assert AuditEntry.objects.filter(action="outbox.enqueue").count() == 1


def test_a_key_is_unique_per_destination_only(receiver, settings):
    put("k-1")
    Message.objects.create(destination="other.system", idempotency_key="k-1")
    assert Message.objects.filter(idempotency_key="k-1").count() == 2


def test_bad_keys_and_unknown_destinations_are_refused(receiver):
    with pytest.raises(InvalidInput) as exc:
        put("")
    assert exc.value.code == "invalid_idempotency_key"
    with pytest.raises(InvalidInput):
        put("x" * 121)
    with pytest.raises(InvalidInput) as exc:
        outbox_enqueue(destination="nowhere", key="k", payload={})
    assert exc.value.code == "unknown_destination"
    assert not Message.objects.exists()


def test_backoff_doubles_and_is_capped():
    policy = OutboxRetryPolicy(max_attempts=10, backoff_seconds=60, max_backoff_seconds=300)
    assert [backoff_delay(n, policy).total_seconds() for n in range(1, 6)] == [60, 120, 240, 300, 300]
    assert backoff_delay(10_000, policy).total_seconds() == 300  # no overflow


def test_failures_wait_longer_each_time_then_become_a_dead_letter(receiver):
    receiver.answers = [FAIL, FAIL, FAIL]
    message = put().message
    now = timezone.now()
    first = outbox_send(message_id=message.pk, now=now)
    assert (first.status, first.attempts, first.next_attempt_at - now) == ("pending", 1, timedelta(seconds=60))
    assert first.last_error == "HTTP 503: unavailable" and first.response_code == 503
    assert outbox_drain(now=now + timedelta(seconds=59)) == {"sent": 0, "retrying": 0, "failed": 0}  # not due
    later = now + timedelta(seconds=60)
    assert outbox_drain(now=later) == {"sent": 0, "retrying": 1, "failed": 0}
    message.refresh_from_db()
    assert message.next_attempt_at - later == timedelta(seconds=120)
    assert outbox_drain(now=message.next_attempt_at) == {"sent": 0, "retrying": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 3  # the policy's maximum
    # A dead letter is kept, and no drain sends it again, however late.
    assert outbox_drain(now=later + timedelta(days=30)) == {"sent": 0, "retrying": 0, "failed": 0}
    assert Message.objects.filter(status="failed").count() == 1 and receiver.received == {}
    # Only a forced attempt (a person's retry) does.
    assert outbox_send(message_id=message.pk, force=True).status == Message.Status.SENT
    assert receiver.received == {"k-1": 1}


def test_a_connector_that_raises_is_one_failed_attempt(receiver):
    receiver.raises = True
    message = outbox_send(message_id=put().message.pk)
    assert message.status == "pending" and message.attempts == 1
    assert "ConnectionResetError: peer went away" in message.last_error


def test_a_sent_message_is_never_sent_again(receiver):
    message = put().message
    outbox_send(message_id=message.pk)
    outbox_send(message_id=message.pk, force=True)
    assert receiver.received == {"k-1": 1}


def test_drain_by_destination_and_messages_of_uninstalled_destinations(receiver):
    put("k-1")
    Message.objects.create(destination="gone.system", idempotency_key="k-2")
    assert outbox_drain(destination="gone.system") == {"sent": 0, "retrying": 0, "failed": 0}
    assert outbox_drain() == {"sent": 1, "retrying": 0, "failed": 0}
    assert Message.objects.get(idempotency_key="k-2").status == "pending"  # left alone, not dead


def test_drain_command(receiver):
    from io import StringIO

    from django.core.management import CommandError, call_command

    put("k-1")
    out = StringIO()
    call_command("outbox_drain", "--destination", TEST_DESTINATION, stdout=out)
    assert out.getvalue().strip() == "sent 1, retrying later 0, gave up 0"
    with pytest.raises(CommandError):
        call_command("outbox_drain", "--destination", "nowhere")


def test_the_drain_task_runs_inline_without_a_broker(receiver, settings):
    from vhttdl.core.outbox.tasks import drain_due

    assert settings.CELERY_TASK_ALWAYS_EAGER
    put("k-1")
    assert drain_due.delay().get() == {"sent": 1, "retrying": 0, "failed": 0}
    assert settings.CELERY_BEAT_SCHEDULE["outbox-drain-due"]["task"] == drain_due.name
