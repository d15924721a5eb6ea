from __future__ import annotations

import pytest

from tests.reporting.analytics.builders import build_metadata


@pytest.fixture
def meta(db):
    return build_metadata()
