"""Writing and checking the audit log. Services call `audit_record` inside their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from vhttdl.core.audit.context import request_ip
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.httpcache.generations import content_changed

GENESIS = "0" * 64
_LOCK_KEY = 712_345_001  # PostgreSQL advisory lock that serialises appends to the chain


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (or the named ones), ready for JSON."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction.

    After commit, the public pages that show the changed app's content stop being served from the
    shared cache (core.httpcache): every audited change is a change of content.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    organisation = getattr(obj, "organisation", None) if obj is not None else None
    if obj is not None and obj._meta.label == "units.Organisation":
        organisation = obj
    is_user = isinstance(actor, models.Model)
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if actor is not None and hasattr(actor, "get_username") else "system")[:150],
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:255],
        organisation_path=getattr(organisation, "path", "") or "",
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        ip=request_ip.get(),
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    label = (entry.object_type or action).split(".", 1)[0]
    transaction.on_commit(lambda: content_changed(label))
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_verify(*, batch_size: int = 5000) -> list[ChainProblem]:
    """Walk the chain in order; report every entry whose hash, link or position is wrong."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    last_seq = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                problems.append(ChainProblem(expected_seq, f"missing entries {expected_seq}..{entry.seq - 1}"))
            if entry.prev_hash != expected_prev:
                problems.append(ChainProblem(entry.seq, "link to the previous entry is broken"))
            if entry.compute_hash() != entry.hash:
                problems.append(ChainProblem(entry.seq, "content does not match its hash (edited)"))
            expected_prev = entry.hash
            expected_seq = entry.seq + 1
            last_seq = entry.seq
    return problems
