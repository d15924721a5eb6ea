"""The stand-in of the Government Reporting Information System's receiving endpoint.

One place for its rules, used both by its HTTP view (`views.stand_in_receive`) and by the
connector's local delivery (no HTTP round trip in the demo and tests): record each report once per
`Idempotency-Key` and count repeats; answer 503 when told to fail (setting
NATIONAL_REPORTING_STANDIN_FAIL), 401 when the bearer token does not match, 400 for a missing key
or a body that is not a JSON object with a `dataValues` list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from vhttdl.reporting.forwarding.config import connector_config
from vhttdl.reporting.forwarding.models import StandInReceipt

KEY_MAX_LENGTH = 80  # StandInReceipt.idempotency_key


@dataclass(frozen=True)
class StandInAnswer:
    status: int
    body: dict[str, Any]


def stand_in_record(*, key: str, payload: dict) -> tuple[StandInReceipt, bool]:
    """The receiver's side: record once per idempotency key; count repeats."""
    with transaction.atomic():
        receipt, created = StandInReceipt.objects.get_or_create(idempotency_key=key, defaults={"payload": payload})
        if not created:
            StandInReceipt.objects.filter(pk=receipt.pk).update(times_received=F("times_received") + 1)
    return receipt, created


def stand_in_receive(*, body: bytes, key: str, authorization: str) -> StandInAnswer:
    if getattr(settings, "NATIONAL_REPORTING_STANDIN_FAIL", False):
        return StandInAnswer(503, {"error": "unavailable"})
    token = connector_config().token
    if token and authorization != f"Bearer {token}":
        return StandInAnswer(401, {"error": "unauthorised"})
    key = (key or "").strip()
    if not key:
        return StandInAnswer(400, {"error": "Idempotency-Key header required"})
    if len(key) > KEY_MAX_LENGTH:
        return StandInAnswer(400, {"error": f"Idempotency-Key longer than {KEY_MAX_LENGTH} characters"})
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return StandInAnswer(400, {"error": "body must be JSON"})
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        return StandInAnswer(400, {"error": "dataValues missing"})
    receipt, created = stand_in_record(key=key, payload=payload)
    return StandInAnswer(201 if created else 200, {"status": "received" if created else "duplicate",
                                                    "receipt": receipt.pk})
