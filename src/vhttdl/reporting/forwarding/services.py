"""Forwarding accepted reports: enqueue in the outbox, send with retries, record at the stand-in."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from vhttdl.core.audit.services import audit_record
from vhttdl.reporting.forwarding.connector import ConnectorConfig, connector_config, deliver
from vhttdl.reporting.forwarding.models import OutboxMessage, StandInReceipt
from vhttdl.reporting.models import DataValue, Submission

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def build_payload(submission: Submission, config: ConnectorConfig) -> dict[str, Any]:
    """The report as the national system receives it, in its codes."""
    mapping = config.mapping
    values = (
        DataValue.objects.filter(submission=submission)
        .select_related("data_element", "category_option_combo")
        .order_by("data_element__code", "category_option_combo__code")
    )
    return {
        "source": "vhttdl",
        "report": mapping.form(submission.form.code),
        "period": submission.period.code,
        "orgUnit": mapping.org_unit(submission.organisation.code),
        "acceptedAt": submission.accepted_at.isoformat() if submission.accepted_at else None,
        "dataValues": [
            {
                "indicator": mapping.data_element(v.data_element.code, v.data_element.national_code),
                "disaggregation": mapping.option_combo(v.category_option_combo.code),
                "value": v.value,
                **({"comment": v.comment} if v.comment else {}),
            }
            for v in values
        ],
    }


def idempotency_key_for(submission: Submission, payload: dict) -> str:
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"vhttdl-{submission.pk}-{digest[:24]}"


def outbox_enqueue_submission(*, submission_id: int) -> None:
    """Queue an accepted report for the national system (no-op when it is not accepted).

    The same report with the same content gets the same idempotency key, so enqueueing twice
    keeps one outbox row and the receiver records it once. Sending starts right after commit.
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_related("form", "period", "organisation").filter(pk=submission_id).first()
        )
        if submission is None or submission.status != Submission.Status.ACCEPTED:
            return
        payload = build_payload(submission, connector_config())
        key = idempotency_key_for(submission, payload)
        message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=key, defaults={"submission": submission, "payload": payload}
        )
        if created:
            audit_record(actor=None, action="reporting.forward.enqueue", obj=message,
                         object_repr=str(submission)[:255], after={"idempotency_key": key})
    if created:
        transaction.on_commit(lambda: _send_soon(message.pk))


def _send_soon(message_id: int) -> None:
    from vhttdl.reporting.forwarding.tasks import forward_message

    try:
        forward_message.delay(message_id)
    except Exception:  # a broker outage must not fail the acceptance; the beat drain will send it
        logger.exception("could not queue forwarding of outbox message %s", message_id)


def backoff_delay(attempts: int, config: ConnectorConfig) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): backoff × 2^(attempts-1), capped."""
    return min(timedelta(seconds=config.backoff_seconds * (2 ** max(attempts - 1, 0))), MAX_BACKOFF)


def outbox_send(*, message_id: int, now: datetime | None = None, force: bool = False) -> OutboxMessage | None:
    """Try to send one message now (if due, or `force`). Records success, or schedules the retry."""
    config = connector_config()
    now = now or timezone.now()
    with transaction.atomic():
        query = OutboxMessage.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        message = query.first()
        if message is None or message.status == OutboxMessage.Status.SENT:
            return message
        if not force and (message.status == OutboxMessage.Status.FAILED or message.next_attempt_at > now):
            return message
        result = deliver(config, message.payload, message.idempotency_key)
        message.attempts += 1
        message.response_code = result.status
        if result.ok:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = now
            message.last_error = ""
        else:
            message.last_error = (f"HTTP {result.status}: " if result.status else "") + result.body[:1000]
            if message.attempts >= config.max_attempts:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.status = OutboxMessage.Status.PENDING
                message.next_attempt_at = now + backoff_delay(message.attempts, config)
        message.save()
    return message


def outbox_drain(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every due message (the scheduled job and `reporting_forward`)."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for pk in due:
        message = outbox_send(message_id=pk, now=now)
        if message is None:
            continue
        if message.status == OutboxMessage.Status.SENT:
            counts["sent"] += 1
        elif message.status == OutboxMessage.Status.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts


def outbox_retry(*, actor: Any, message_id: int) -> OutboxMessage:
    """An official asks to send a failed or waiting message again, now."""
    from vhttdl.core.accounts.policy import require
    from vhttdl.reporting.actions import ReportingAction

    message = OutboxMessage.objects.select_related("submission__organisation").filter(pk=message_id).first()
    if message is None:
        from django.http import Http404
        from django.utils.translation import gettext as _

        raise Http404(_("Không tìm thấy báo cáo chờ gửi."))
    require(actor, ReportingAction.ACCEPT, message.submission)
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxMessage.Status.SENT).update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now()
        )
        audit_record(actor=actor, action="reporting.forward.retry", obj=message.submission,
                     after={"idempotency_key": message.idempotency_key})
    return outbox_send(message_id=message_id, force=True)


def stand_in_record(*, key: str, payload: dict) -> tuple[StandInReceipt, bool]:
    """The stand-in receiver's side: record once per idempotency key; count repeats."""
    with transaction.atomic():
        receipt, created = StandInReceipt.objects.get_or_create(idempotency_key=key,
                                                                defaults={"payload": payload})
        if not created:
            StandInReceipt.objects.filter(pk=receipt.pk).update(times_received=receipt.times_received + 1)
    return receipt, created
