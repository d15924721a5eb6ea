"""Reads of the outbox, scoped by each destination's owner app to what the actor may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vhttdl.core.modules.types import OutboxDestination, OutboxSubject
from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.registry import destinations


def destinations_for(actor: Any) -> list[OutboxDestination]:
    """The destinations whose messages `actor` may see, in the order the apps declare them."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return []
    return [d for d in destinations().values() if d.can_view(actor=actor)]


def message_list(*, actor: Any, destination: str | None = None, status: str | None = None) -> QuerySet[Message]:
    """Messages `actor` may see, newest first: each destination's own scope, joined with OR."""
    visible = Message.objects.none()
    for found in destinations_for(actor):
        if destination and found.name != destination:
            continue
        visible = visible | found.visible(actor=actor, messages=Message.objects.filter(destination=found.name))
    if status in Message.Status.values:
        visible = visible.filter(status=status)
    return visible.order_by("-created_at", "-pk")


def get_message_for_actor(actor: Any, message_id: int) -> Message:
    """The message, if `actor` may see it; 404 otherwise (as if it did not exist)."""
    message = message_list(actor=actor).filter(pk=message_id).first()
    if message is None:
        raise Http404(_("Không tìm thấy tin chờ gửi."))
    return message


@dataclass(frozen=True)
class MessageRow:
    message: Message
    destination_label: str
    subject: OutboxSubject


def describe(messages: Sequence[Message]) -> list[MessageRow]:
    """Each message with its destination's label and what it is about (a query per destination)."""
    known = destinations()
    subjects: dict[int, OutboxSubject] = {}
    for name in {m.destination for m in messages}:
        found = known.get(name)
        if found is not None and found.describe is not None:
            subjects.update(found.describe([m for m in messages if m.destination == name]))
    rows = []
    for message in messages:
        found = known.get(message.destination)
        fallback = OutboxSubject(f"{message.subject_type} #{message.subject_id}" if message.subject_id else "—")
        rows.append(MessageRow(message, str(found.label) if found else message.destination,
                               subjects.get(message.pk, fallback)))
    return rows
