from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each year's calendar is cached; a test's rolled-back decisions must not leak into the next."""
    cache.clear()
    yield
    cache.clear()
