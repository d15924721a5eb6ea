"""Enqueue a message and start sending it as soon as the transaction commits.

Above both `services` (which never schedules work) and `tasks` (which runs the services), so
neither imports the other's caller. Apps call `outbox_put` from inside their own transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from vhttdl.core.outbox import tasks
from vhttdl.core.outbox.services import Enqueued, outbox_enqueue

logger = logging.getLogger(__name__)


def send_after_commit(message_id: int) -> None:
    """Send the message in a worker (inline when no broker) once the current transaction commits."""
    transaction.on_commit(lambda: _send_soon(message_id))


def _send_soon(message_id: int) -> None:
    try:
        tasks.send_message.delay(message_id)
    except Exception:  # a broker outage must not fail what caused the message; the drain sends it
        logger.exception("could not queue sending of outbox message %s", message_id)


def outbox_put(
    *,
    destination: str,
    key: str,
    payload: dict[str, Any],
    subject_type: str = "",
    subject_id: int | None = None,
    subject_repr: str = "",
    actor: Any = None,
) -> Enqueued:
    """`services.outbox_enqueue`, then, for a new message, sending right after commit."""
    enqueued = outbox_enqueue(destination=destination, key=key, payload=payload, subject_type=subject_type,
                              subject_id=subject_id, subject_repr=subject_repr, actor=actor)
    if enqueued.created:
        send_after_commit(enqueued.message.pk)
    return enqueued
