"""What every heritage service shares: the record types, locking, snapshots, and `_revise`.

`_revise` is the one place a change is recorded: the numbered revision (core.revisions), the
audit entry, and the search document, all inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from vhttdl.core.audit.services import audit_record, snapshot
from vhttdl.core.revisions.services import revision_record
from vhttdl.heritage.models import (
    Inscription,
    IntangibleHeritage,
    RankingDecision,
    Record,
    Site,
    SiteTranslation,
)

_SKIP_IN_SNAPSHOT = {"id", "created_at", "updated_at"}


def kind_of(record: Model) -> str:
    return record.SEARCH_KIND


def _lock(record: Record) -> Record:
    return type(record).objects.select_for_update().get(pk=record.pk)


def record_snapshot(record: Record) -> dict[str, Any]:
    names = [f.attname for f in record._meta.concrete_fields if f.attname not in _SKIP_IN_SNAPSHOT]
    data = snapshot(record, names)
    if isinstance(record, Site):
        data["translations"] = {
            t.language: {
                "name": t.name,
                "description": t.description,
                "history": t.history,
                "directions": t.directions,
            }
            for t in SiteTranslation.objects.filter(site=record).order_by("language")
        }
        data["decisions"] = [
            [d.number, d.decided_on.isoformat() if d.decided_on else None, d.issuer, d.rank]
            for d in RankingDecision.objects.filter(site=record).order_by("decided_on", "id")
        ]
    elif isinstance(record, IntangibleHeritage):
        data["provinces"] = sorted(record.provinces.values_list("code", flat=True))
        data["inscriptions"] = [
            [i.listing, i.number, i.decided_on.isoformat() if i.decided_on else None, i.issuer]
            for i in Inscription.objects.filter(heritage=record).order_by("decided_on", "id")
        ]
    return data


def _revise(*, actor: Any, record: Record, action: str, before: dict | None):
    """Store the next numbered revision, the audit entry, and update the search document."""
    from vhttdl.heritage.services.search import index_records

    after = record_snapshot(record)
    kind = kind_of(record)
    revision = revision_record(actor=actor, obj=record, action=action, before=before, after=after)
    audit_record(actor=actor, action=f"{kind}.{action}", obj=record, before=before, after=after)
    index_records(kind, [record.pk])
    return revision
