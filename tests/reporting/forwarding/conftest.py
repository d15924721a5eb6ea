from __future__ import annotations

import pytest

from tests.reporting.analytics.builders import build_metadata


@pytest.fixture
def meta(db):
    return build_metadata()


@pytest.fixture(autouse=True)
def _connector(settings):
    settings.NATIONAL_REPORTING_URL = ""
    settings.NATIONAL_REPORTING_TOKEN = "bi-mat"
    settings.NATIONAL_REPORTING_MAPPING = {"orgUnits": {"SO-A-BT": "QG-BT-AN"}, "forms": {"BM01": "BC-01"}}
    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    settings.NATIONAL_REPORTING_MAX_ATTEMPTS = 3
    settings.NATIONAL_REPORTING_BACKOFF_SECONDS = 60
