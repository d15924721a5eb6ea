"""Writes of the outbox: enqueue, send one message, drain what is due, retry on a person's request.

Nothing here schedules background work: `dispatch.outbox_put` enqueues and starts sending after
commit, `tasks` runs `outbox_send` and `outbox_drain` in a worker (or inline without a broker).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.modules.types import OutboxDestination, OutboxRetryPolicy
from vhttdl.core.outbox.models import KEY_MAX_LENGTH, Message
from vhttdl.core.outbox.registry import destination_named, destinations
from vhttdl.core.outbox.selectors import get_message_for_actor

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 1000  # characters of the receiver's answer kept as `last_error`
DRAIN_LIMIT = 200  # messages one drain sends at most; the next run takes the rest


@dataclass(frozen=True)
class Enqueued:
    message: Message
    created: bool  # False: a message with the same key was already there (nothing new to send)


def outbox_enqueue(
    *,
    destination: str,
    key: str,
    payload: dict[str, Any],
    subject_type: str = "",
    subject_id: int | None = None,
    subject_repr: str = "",
    actor: Any = None,
) -> Enqueued:
    """Put one message in the outbox, once per (destination, key). Audited; nothing is sent here.

    Call it inside the transaction that makes the message necessary, so both commit or neither.
    """
    destination_named(destination)  # InvalidInput when no installed app declares it
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise InvalidInput(
            _("Khóa chống gửi trùng phải có từ 1 đến %(max)s ký tự.") % {"max": KEY_MAX_LENGTH},
            code="invalid_idempotency_key",
        )
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            destination=destination,
            idempotency_key=key,
            defaults={"payload": payload, "subject_type": subject_type, "subject_id": subject_id},
        )
        if created:
            audit_record(actor=actor, action="outbox.enqueue", obj=message, object_repr=(subject_repr or key)[:255],
                         after={"destination": destination, "idempotency_key": key})
    return Enqueued(message, created)


def backoff_delay(attempts: int, policy: OutboxRetryPolicy) -> timedelta:
    """Wait before retry number `attempts` (1, 2, ...): backoff × 2^(attempts-1), capped."""
    seconds = policy.backoff_seconds * (2 ** min(max(attempts - 1, 0), 32))
    return timedelta(seconds=min(seconds, policy.max_backoff_seconds))


def _record(message: Message, destination: OutboxDestination, now: datetime) -> None:
    """One delivery attempt, recorded on `message` (not saved)."""
    policy = destination.retry_policy()
    try:
        result = destination.connector(payload=message.payload, key=message.idempotency_key)
        ok, status, body = result.ok, result.status, result.body
    except Exception as exc:  # a connector must not raise; if it does, it is one more failed attempt
        logger.exception("outbox connector of %s raised for message %s", destination.name, message.pk)
        ok, status, body = False, None, f"{type(exc).__name__}: {exc}"
    message.attempts += 1
    message.response_code = status
    if ok:
        message.status = Message.Status.SENT
        message.sent_at = now
        message.last_error = ""
        return
    message.last_error = ((f"HTTP {status}: " if status else "") + (body or ""))[:ERROR_MAX_LENGTH]
    if message.attempts >= policy.max_attempts:
        message.status = Message.Status.FAILED  # a dead letter, kept and shown
    else:
        message.status = Message.Status.PENDING
        message.next_attempt_at = now + backoff_delay(message.attempts, policy)


def outbox_send(*, message_id: int, now: datetime | None = None, force: bool = False) -> Message | None:
    """Try to deliver one message now, if due (or `force`). Records success, or schedules the retry.

    The row stays locked while it is delivered, so two workers never send it at once (PostgreSQL
    skips a locked row: None comes back). A sent message is never sent again; a dead letter only
    with `force` (a person's retry). A message whose destination is no longer installed is left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        query = Message.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        message = query.first()
        if message is None or message.status == Message.Status.SENT:
            return message
        if not force and (message.status == Message.Status.FAILED or message.next_attempt_at > now):
            return message
        destination = destinations().get(message.destination)
        if destination is None:
            logger.warning("outbox message %s: destination %s is not installed", message.pk, message.destination)
            return message
        _record(message, destination, now)
        message.save()
    return message


def outbox_drain(*, now: datetime | None = None, limit: int = DRAIN_LIMIT,
                 destination: str | None = None) -> dict[str, int]:
    """Send every due message (of one destination, or of every installed one), oldest due first.

    Messages of a destination no installed app declares are left as they are (not dead letters).
    """
    now = now or timezone.now()
    installed = destinations()
    names = [name for name in ([destination] if destination else installed) if name in installed]
    due = list(
        Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now, destination__in=names)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:max(limit, 0)]
    )
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for pk in due:
        message = outbox_send(message_id=pk, now=now)
        if message is None:
            continue
        if message.status == Message.Status.SENT:
            counts["sent"] += 1
        elif message.status == Message.Status.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts


def outbox_retry(*, actor: Any, message_id: int) -> Message | None:
    """A person asks to send a waiting or dead message again, now (one more attempt).

    Who may is the destination's decision (`can_retry`); a message the actor may not see is 404.
    A message already sent is not sent again (Conflict "already_sent"): a second click is harmless.
    Returns the message after the attempt, or None when a worker is sending it at this moment.
    """
    message = get_message_for_actor(actor, message_id)
    destination = destination_named(message.destination)
    if not destination.can_retry(actor=actor, message=message):
        raise PermissionDenied(_("Bạn không có quyền gửi lại tin này."))
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status == Message.Status.SENT:
            raise Conflict(_("Tin này đã được gửi thành công; không gửi lại."), code="already_sent")
        before = {"status": locked.status, "attempts": locked.attempts}
        locked.status = Message.Status.PENDING
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "next_attempt_at"])
        audit_record(actor=actor, action="outbox.retry", obj=locked, object_repr=str(locked)[:255], before=before,
                     after={"destination": locked.destination, "idempotency_key": locked.idempotency_key})
    return outbox_send(message_id=message.pk, force=True)
