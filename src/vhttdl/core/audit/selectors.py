"""Reads of the audit log, scoped by the unit each entry concerns."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from vhttdl.core.accounts.policy import granted_paths
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit.models import AuditEntry


def audit_list(
    *, actor: Any, object_type: str | None = None, object_id: str | None = None, actor_id: int | None = None,
    action: str | None = None,
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if not (getattr(actor, "is_superuser", False)):
        paths = granted_paths(actor, Action.AUDIT_VIEW)
        if not paths:
            return qs.none()
        condition = Q()
        for path in paths:
            condition |= Q(organisation_path__startswith=path)
        # A grant at the root (the Ministry) also sees entries that concern no unit (people, tokens).
        if any(_is_root(p) for p in paths):
            condition |= Q(organisation_path="")
        qs = qs.filter(condition)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-seq")


def _is_root(path: str) -> bool:
    from vhttdl.core.units.models import PATH_SEGMENT_WIDTH

    return len(path) == PATH_SEGMENT_WIDTH
