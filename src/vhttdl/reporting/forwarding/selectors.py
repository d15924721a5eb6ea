"""Reads of the forwarding outbox, scoped to what the caller may view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import scope
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.forwarding.models import OutboxMessage

if TYPE_CHECKING:
    from vhttdl.reporting.models import Submission

NOT_QUEUED = "not_queued"  # accepted, but no outbox message (yet)
NOT_APPLICABLE = "not_applicable"  # only reports the Ministry accepted are forwarded


@dataclass(frozen=True)
class ForwardingStatus:
    status: str  # pending / sent / failed, or NOT_QUEUED / NOT_APPLICABLE
    label: str
    badge: str  # CSS badge class: ok / warn / err / info, "" when not applicable
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None
    queued_at: datetime | None = None

    @property
    def is_queued(self) -> bool:
        return self.status in OutboxMessage.Status.values


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
        .values_list(
            "submission_id", "status", "attempts", "last_error", "sent_at", "next_attempt_at", "created_at"
        )
    )
    for sub_id, status, attempts, last_error, sent_at, next_at, created_at in rows:
        if sub_id in found:
            continue
        found[sub_id] = ForwardingStatus(
            status=status, label=str(OutboxMessage.Status(status).label), badge=_BADGES[status],
            attempts=attempts, last_error=last_error, sent_at=sent_at,
            next_attempt_at=next_at if status == OutboxMessage.Status.PENDING else None,
            queued_at=created_at,
        )
    return found


def forwarding_statuses(submissions: Iterable[Submission]) -> dict[int, ForwardingStatus]:
    """A forwarding status for every one of `submissions` (one query, for a whole list page).

    Queued reports get their latest outbox state; an accepted report that is not queued says so;
    any other report is "not applicable" (only reports the Ministry accepted are forwarded).
    The caller passes submissions it already scoped to the actor.
    """
    from vhttdl.reporting.models import Submission

    submissions = list(submissions)
    found = forwarding_status_for(s.pk for s in submissions)
    for submission in submissions:
        if submission.pk in found:
            continue
        if submission.status == Submission.Status.ACCEPTED:
            found[submission.pk] = ForwardingStatus(
                status=NOT_QUEUED, label=_("Chưa vào hàng gửi"), badge="info",
                attempts=0, last_error="", sent_at=None, next_attempt_at=None,
            )
        else:
            found[submission.pk] = ForwardingStatus(
                status=NOT_APPLICABLE, label=_("Không áp dụng"), badge="",
                attempts=0, last_error="", sent_at=None, next_attempt_at=None,
            )
    return found


def outbox_list(*, actor: Any, status: str | None = None) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.select_related(
        "submission__form", "submission__period", "submission__organisation"
    ).order_by("-created_at", "-pk")
    if status in OutboxMessage.Status.values:
        messages = messages.filter(status=status)
    return scope(actor, ReportingAction.VIEW, messages, via="submission__organisation")
