"""The connector to the Government Reporting Information System: transport of one report.

Configuration (receiver, token, timeout, code mapping, retries) is read by `config`; see its
docstring for the NATIONAL_REPORTING_* settings. `national_connector` is what `core.outbox` calls
for the "reporting.national" destination (declared in `destination.py`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from vhttdl.core.modules.types import OutboxDelivery
from vhttdl.reporting.forwarding.config import ConnectorConfig, Mapping, connector_config, load_mapping
from vhttdl.reporting.forwarding.stand_in import stand_in_receive

Delivery = OutboxDelivery  # the name this module has always used

__all__ = ["ConnectorConfig", "Delivery", "Mapping", "connector_config", "deliver", "load_mapping",
           "national_connector"]

ANSWER_KEPT = 2000  # characters of the receiver's answer kept


def _headers(config: ConnectorConfig, key: str) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    return headers


def deliver(config: ConnectorConfig, payload: dict, key: str) -> Delivery:
    """POST one report. Never raises for a network or HTTP failure: the outbox records it and retries."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if config.is_local:
        return _deliver_local(config, body, key)
    if not config.url.startswith(("http://", "https://")):
        return Delivery(False, None, f"unsupported URL scheme: {config.url}")
    request = urllib.request.Request(config.url, data=body, headers=_headers(config, key), method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 - http(s) only
            text = response.read(ANSWER_KEPT).decode("utf-8", "replace")
            return Delivery(200 <= response.status < 300, response.status, text)
    except urllib.error.HTTPError as exc:
        return Delivery(False, exc.code, exc.read(ANSWER_KEPT).decode("utf-8", "replace"))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return Delivery(False, None, str(exc))


def _deliver_local(config: ConnectorConfig, body: bytes, key: str) -> Delivery:
    """Deliver to the stand-in receiver, with what would be the HTTP headers, and read its answer."""
    authorization = f"Bearer {config.token}" if config.token else ""
    answer = stand_in_receive(body=body, key=key, authorization=authorization)
    text = json.dumps(answer.body, ensure_ascii=False)[:ANSWER_KEPT]
    return Delivery(200 <= answer.status < 300, answer.status, text)


def national_connector(*, payload: dict, key: str) -> Delivery:
    """`core.outbox`'s connector for the national system: the current configuration, one delivery."""
    return deliver(connector_config(), payload, key)
