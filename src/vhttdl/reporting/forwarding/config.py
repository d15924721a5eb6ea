"""The connector's configuration: receiver, token, timeout, code mapping, retry policy.

Read from Django settings of the same name (which tests use), else from the environment:

- ``NATIONAL_REPORTING_URL``: the receiver's endpoint. Empty (the default) or ``local`` delivers
  to the stand-in receiver inside this platform (demo, tests).
- ``NATIONAL_REPORTING_TOKEN``: sent as ``Authorization: Bearer <token>``.
- ``NATIONAL_REPORTING_TIMEOUT``: seconds (default 10).
- ``NATIONAL_REPORTING_MAPPING``: our codes → theirs, as inline JSON or the path of a JSON file:
  ``{"dataElements": {...}, "orgUnits": {...}, "categoryOptionCombos": {...}, "forms": {...}}``.
  A data element's ``national_code`` is used when the mapping does not name it; otherwise our code.
- ``NATIONAL_REPORTING_MAX_ATTEMPTS`` (default 8) and ``NATIONAL_REPORTING_BACKOFF_SECONDS``
  (default 60): retry ``n`` waits ``backoff × 2^(n-1)``, at most 6 hours.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from vhttdl.core.modules.types import OutboxRetryPolicy

MAX_BACKOFF_SECONDS = 6 * 60 * 60.0


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Mapping:
    data_elements: dict[str, str] = field(default_factory=dict)
    org_units: dict[str, str] = field(default_factory=dict)
    option_combos: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)

    def data_element(self, code: str, national_code: str = "") -> str:
        return self.data_elements.get(code) or national_code or code

    def org_unit(self, code: str) -> str:
        return self.org_units.get(code, code)

    def option_combo(self, code: str) -> str:
        return self.option_combos.get(code, code)

    def form(self, code: str) -> str:
        return self.forms.get(code, code)


@dataclass(frozen=True)
class ConnectorConfig:
    url: str
    token: str
    timeout: float
    mapping: Mapping
    max_attempts: int
    backoff_seconds: float

    @property
    def is_local(self) -> bool:
        return self.url in ("", "local")

    @property
    def retry_policy(self) -> OutboxRetryPolicy:
        return OutboxRetryPolicy(max_attempts=self.max_attempts, backoff_seconds=self.backoff_seconds,
                                 max_backoff_seconds=MAX_BACKOFF_SECONDS)


def load_mapping(raw: str | dict | None) -> Mapping:
    if not raw:
        return Mapping()
    if isinstance(raw, dict):
        data = raw
    else:
        text = raw.strip()
        data = json.loads(text if text.startswith("{") else Path(text).read_text("utf-8"))
    return Mapping(
        data_elements=dict(data.get("dataElements", {})),
        org_units=dict(data.get("orgUnits", {})),
        option_combos=dict(data.get("categoryOptionCombos", {})),
        forms=dict(data.get("forms", {})),
    )


def connector_config() -> ConnectorConfig:
    mapping_setting = getattr(settings, "NATIONAL_REPORTING_MAPPING", None)
    if mapping_setting is None:
        mapping_setting = os.environ.get("NATIONAL_REPORTING_MAPPING", "")
    return ConnectorConfig(
        url=_setting("NATIONAL_REPORTING_URL"),
        token=_setting("NATIONAL_REPORTING_TOKEN"),
        timeout=float(_setting("NATIONAL_REPORTING_TIMEOUT", "10") or 10),
        mapping=load_mapping(mapping_setting),
        max_attempts=int(_setting("NATIONAL_REPORTING_MAX_ATTEMPTS", "8") or 8),
        backoff_seconds=float(_setting("NATIONAL_REPORTING_BACKOFF_SECONDS", "60") or 60),
    )
