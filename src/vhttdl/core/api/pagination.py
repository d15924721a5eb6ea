"""The one pagination of the API (settings.NINJA_PAGINATION_CLASS): `limit` ≤ MAX_LIMIT, `offset` ≤ MAX_OFFSET.

Past either bound the answer is a 400 naming the bound, never a database overflow (a 500).
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffset

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class LimitOffsetPagination(NinjaLimitOffset):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"1–{MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"0–{MAX_OFFSET:,}")

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs):
        super().__init__(max_limit=max_limit, **kwargs)
