"""Reads of the forwarding outbox, scoped to what the caller may view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from vhttdl.core.accounts.policy import scope
from vhttdl.core.accounts.roles import Action
from vhttdl.reporting.forwarding.models import OutboxMessage


@dataclass(frozen=True)
class ForwardingStatus:
    status: str  # pending / sent / failed
    label: str
    badge: str  # CSS badge class: ok / warn / err
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None


_BADGES = {OutboxMessage.Status.SENT: "ok", OutboxMessage.Status.PENDING: "warn", OutboxMessage.Status.FAILED: "err"}


def forwarding_status_for(submission_ids: Iterable[int]) -> dict[int, ForwardingStatus]:
    """The latest forwarding state of each submission that has been queued (one query).

    For R1's submission pages: `{% include "forwarding/_badge.html" with status=... %}`.
    """
    ids = list(submission_ids)
    found: dict[int, ForwardingStatus] = {}
    if not ids:
        return found
    rows = (
        OutboxMessage.objects.filter(submission_id__in=ids)
        .order_by("submission_id", "-created_at", "-pk")
        .values_list("submission_id", "status", "attempts", "last_error", "sent_at", "next_attempt_at")
    )
    for sub_id, status, attempts, last_error, sent_at, next_at in rows:
        if sub_id in found:
            continue
        found[sub_id] = ForwardingStatus(
            status=status, label=str(OutboxMessage.Status(status).label), badge=_BADGES[status],
            attempts=attempts, last_error=last_error, sent_at=sent_at,
            next_attempt_at=next_at if status == OutboxMessage.Status.PENDING else None,
        )
    return found


def outbox_list(*, actor: Any, status: str | None = None) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.select_related(
        "submission__form", "submission__period", "submission__organisation"
    ).order_by("-created_at", "-pk")
    if status in OutboxMessage.Status.values:
        messages = messages.filter(status=status)
    return scope(actor, Action.REPORTING_VIEW, messages, via="submission__organisation")
