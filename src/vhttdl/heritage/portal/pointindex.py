"""An in-memory index of the published sites' points, for the map API.

Why: grouping 50,000 rows in SQL for every map move costs 100–200 ms on SQLite (and tens of ms on
PostgreSQL); the same work on a few numpy arrays takes a few milliseconds. Each web process keeps
one index (about 3 MB for 50,000 sites) and rebuilds it when the data changed.

Freshness: every change made through the heritage services stores a revision (core.revisions: publishing,
editing, importing), and new rows raise the highest site id, so the pair
(max Site id, max Revision id) — one query of two index lookups per request — tells when to rebuild. Changes
made behind the services' back are picked up after `MAX_AGE_SECONDS` at most.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db import connection

from vhttdl.core.revisions.models import Revision
from vhttdl.heritage.models import RecordStatus, Site, SiteRank, SiteType

MAX_AGE_SECONDS = 60.0
RANK_ORDER = [SiteRank.SPECIAL_NATIONAL, SiteRank.NATIONAL, SiteRank.PROVINCIAL, SiteRank.INVENTORIED]
TYPE_ORDER = list(SiteType.values)

_lock = threading.Lock()
_current: PointIndex | None = None
# The festival layer's points per (year, language): {key: (token, built_at, points)}, see selectors.
festival_points: dict[tuple[int, str], tuple[tuple, float, list]] = {}


@dataclass
class PointIndex:
    token: tuple
    built_at: float
    ids: np.ndarray  # int64, ascending
    lon: np.ndarray  # float64
    lat: np.ndarray
    rank: np.ndarray  # int8: position in RANK_ORDER
    site_type: np.ndarray  # int8: position in TYPE_ORDER
    province: np.ndarray  # int64 Area id
    name_order: np.ndarray  # int32: position of the name in sorted order
    codes: list[str]
    names: list[str]

    def __len__(self) -> int:
        return len(self.ids)


def freshness_token(*models: type) -> tuple:
    """(max Site id, max Revision id, max id of each extra model) in one query of index lookups."""
    quote = connection.ops.quote_name
    tables = [Site._meta.db_table, Revision._meta.db_table, *(model._meta.db_table for model in models)]
    # Only model metadata (quoted table names) goes into the SQL text.
    columns = ", ".join(f"(SELECT MAX({quote('id')}) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def _token() -> tuple:
    return freshness_token()


def _build(token: tuple) -> PointIndex:
    rows = list(
        Site.objects.filter(status=RecordStatus.PUBLISHED, latitude__isnull=False, longitude__isnull=False)
        .order_by("id")
        .values_list("id", "code", "name", "rank", "site_type", "province_id", "longitude", "latitude")
    )
    rank_of = {rank: index for index, rank in enumerate(RANK_ORDER)}
    type_of = {kind: index for index, kind in enumerate(TYPE_ORDER)}
    names = [row[2] for row in rows]
    name_order = np.empty(len(rows), dtype=np.int32)
    name_order[sorted(range(len(rows)), key=names.__getitem__)] = np.arange(len(rows), dtype=np.int32)
    return PointIndex(
        token=token,
        built_at=time.monotonic(),
        ids=np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        lon=np.fromiter((row[6] for row in rows), dtype=np.float64, count=len(rows)),
        lat=np.fromiter((row[7] for row in rows), dtype=np.float64, count=len(rows)),
        rank=np.fromiter((rank_of.get(row[3], 9) for row in rows), dtype=np.int8, count=len(rows)),
        site_type=np.fromiter((type_of.get(row[4], 9) for row in rows), dtype=np.int8, count=len(rows)),
        province=np.fromiter((row[5] for row in rows), dtype=np.int64, count=len(rows)),
        name_order=name_order,
        codes=[row[1] for row in rows],
        names=names,
    )


def current() -> PointIndex:
    """The index for the data as it is now (rebuilt when a site or revision was added, or when old)."""
    global _current
    token = _token()
    index = _current
    if index is not None and index.token == token and time.monotonic() - index.built_at < MAX_AGE_SECONDS:
        return index
    with _lock:
        index = _current
        if index is None or index.token != token or time.monotonic() - index.built_at >= MAX_AGE_SECONDS:
            index = _build(token)
            _current = index
    return index


def clear() -> None:
    """Forget the index (tests, and after bulk changes made without the services)."""
    global _current
    with _lock:
        _current = None
        festival_points.clear()
