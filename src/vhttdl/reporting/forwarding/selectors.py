"""Reads of the forwarding to the national system (core's outbox, destination "reporting.national")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.selectors import message_list
from vhttdl.reporting.forwarding.destination import NATIONAL, SUBJECT_TYPE

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
        return self.status in Message.Status.values


_BADGES = {Message.Status.SENT: "ok", Message.Status.PENDING: "warn", Message.Status.FAILED: "err"}


def national_messages() -> QuerySet[Message]:
    return Message.objects.filter(destination=NATIONAL, subject_type=SUBJECT_TYPE)


def forwarding_status_for(submission_ids: Iterable[int]) -> dict[int, ForwardingStatus]:
    """The latest forwarding state of each submission that has been queued (one query).

    For the report pages: `{% include "forwarding/_badge.html" with status=... %}`.
    """
    ids = list(submission_ids)
    found: dict[int, ForwardingStatus] = {}
    if not ids:
        return found
    rows = (
        national_messages().filter(subject_id__in=ids)
        .order_by("subject_id", "-created_at", "-pk")
        .values_list("subject_id", "status", "attempts", "last_error", "sent_at", "next_attempt_at", "created_at")
    )
    for sub_id, status, attempts, last_error, sent_at, next_at, created_at in rows:
        if sub_id is None or sub_id in found:
            continue
        found[sub_id] = ForwardingStatus(
            status=status, label=str(Message.Status(status).label), badge=_BADGES[Message.Status(status)],
            attempts=attempts, last_error=last_error, sent_at=sent_at,
            next_attempt_at=next_at if status == Message.Status.PENDING else None,
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


def outbox_list(*, actor: Any, status: str | None = None) -> QuerySet[Message]:
    """The national system's messages of the reports `actor` may view, newest first."""
    return message_list(actor=actor, destination=NATIONAL, status=status)


def with_submissions(messages: Iterable[Message]) -> list[Message]:
    """The messages, each with `.submission` (form, period, unit loaded; None if deleted): one query."""
    from vhttdl.reporting.models import Submission

    messages = list(messages)
    found = Submission.objects.filter(pk__in={m.subject_id for m in messages}).select_related(
        "form", "period", "organisation").in_bulk()
    for message in messages:
        message.submission = found.get(message.subject_id)  # type: ignore[attr-defined]  # for the template
    return messages
