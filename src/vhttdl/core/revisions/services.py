"""Writing revisions. Services call these inside their own transaction, with the record locked.

    revision_record(actor=..., obj=site, action="updated", before=before_snapshot, after=after_snapshot)

stores revision N+1 of `obj`: `snapshot` = `after` (or the `snapshot` given), `changes` = the
fields whose value differs between `before` and `after` (`before=None` for a creation).
`revisions_record_bulk` does the same for many records of one model in two queries (imports).
The number is the next one for the record; the unique constraint turns a race between two writers
that did not lock the record into an error rather than two revisions with one number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from vhttdl.core.revisions.models import Revision


def changes_between(before: dict | None, after: dict) -> dict[str, list]:
    """`{field: [before, after]}` for every key of `after` whose value differs from `before`."""
    before = before or {}
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    user_id = actor.pk if isinstance(actor, models.Model) else None
    name = actor.get_username() if hasattr(actor, "get_username") else "system"
    return user_id, str(name)[:150]


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("revision_record must run inside the service's transaction")


def revision_record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict | None,
    after: dict,
    snapshot: dict | None = None,
    changes: dict | None = None,
    at: datetime | None = None,
) -> Revision:
    """Store the next numbered revision of `obj` (see the module docstring)."""
    _require_transaction()
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    last = (
        Revision.objects.filter(content_type=content_type, object_id=obj.pk).aggregate(n=Max("number"))["n"] or 0
    )
    user_id, actor_name = _actor_fields(actor)
    return Revision.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        number=last + 1,
        at=at or timezone.now(),
        actor_id=user_id,
        actor_name=actor_name,
        action=action[:40],
        snapshot=after if snapshot is None else snapshot,
        changes=changes_between(before, after) if changes is None else changes,
    )


@dataclass
class RevisionInput:
    """One record's change for `revisions_record_bulk`."""

    object_id: int
    before: dict | None
    after: dict


def revisions_record_bulk(
    *,
    actor: Any,
    model: type[models.Model],
    action: str,
    items: Iterable[RevisionInput],
    at: datetime | None = None,
    write: Callable[[type[models.Model], list[Revision]], None] | None = None,
) -> int:
    """Store one revision for each item (records of `model`), numbers read in one query. Returns the count.

    `write(Revision, rows)` may replace `bulk_create` (an importer's COPY-based bulk writer).
    """
    _require_transaction()
    items = list(items)
    if not items:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    ids = [item.object_id for item in items]
    last: dict[int, int] = {}
    for start in range(0, len(ids), 1000):
        last.update(
            Revision.objects.filter(content_type=content_type, object_id__in=ids[start : start + 1000])
            .values("object_id")
            .annotate(n=Max("number"))
            .values_list("object_id", "n")
        )
    user_id, actor_name = _actor_fields(actor)
    now = at or timezone.now()
    rows = [
        Revision(
            content_type=content_type,
            object_id=item.object_id,
            number=last.get(item.object_id, 0) + 1,
            at=now,
            actor_id=user_id,
            actor_name=actor_name,
            action=action[:40],
            snapshot=item.after,
            changes=changes_between(item.before, item.after)
            if item.before is not None
            else {k: [None, v] for k, v in item.after.items() if v not in (None, "", False, [], {})},
        )
        for item in items
    ]
    if write is None:
        Revision.objects.bulk_create(rows, batch_size=1000)
    else:
        write(Revision, rows)
    return len(rows)
