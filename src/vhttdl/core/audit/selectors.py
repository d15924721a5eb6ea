"""Reads of the audit log, scoped by the unit each entry concerns."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from vhttdl.core.accounts.policy import granted_paths
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit.models import AuditEntry

MAX_PEOPLE = 500  # the person picker lists at most this many people


def audit_list(
    *, actor: Any, object_type: str | None = None, object_id: str | None = None, actor_id: int | None = None,
    action: str | None = None, unit_path: str | None = None, since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries the actor may read, newest first. `unit_path`: entries about that unit and its subtree;
    `since`/`until`: local dates, both included."""
    qs = _scoped(actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if unit_path:
        qs = qs.filter(organisation_path__startswith=unit_path)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-seq")


def audit_people(*, actor: Any) -> list[tuple[int, str]]:
    """(user id, name) of the people who appear in the entries the actor may read (the person picker)."""
    from vhttdl.core.accounts.models import User
    from vhttdl.core.text import sort_vi

    ids = _scoped(actor).exclude(actor_id=None).values_list("actor_id", flat=True).distinct()[:MAX_PEOPLE]
    people = User.objects.filter(pk__in=list(ids)).only("pk", "username", "full_name")
    rows = [(u.pk, f"{u.full_name} ({u.username})" if u.full_name else u.username) for u in people]
    return sort_vi(rows, key=lambda row: row[1])


def _scoped(actor: Any) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if getattr(actor, "is_superuser", False):
        return qs
    paths = granted_paths(actor, Action.AUDIT_VIEW)
    if not paths:
        return qs.none()
    condition = Q()
    for path in paths:
        condition |= Q(organisation_path__startswith=path)
    # A grant at the root (the Ministry) also sees entries that concern no unit (people, tokens).
    if any(_is_root(p) for p in paths):
        condition |= Q(organisation_path="")
    return qs.filter(condition)


def _is_root(path: str) -> bool:
    from vhttdl.core.units.models import PATH_SEGMENT_WIDTH

    return len(path) == PATH_SEGMENT_WIDTH
