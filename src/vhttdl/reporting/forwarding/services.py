"""Forwarding accepted reports: build the national system's payload and put it in core's outbox.

Sending, retries with backoff, dead letters and the retry page are `core.outbox`'s; the
connector (`connector.py`) and who sees what (`destination.py`) are ours.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from vhttdl.core.outbox.dispatch import outbox_put
from vhttdl.reporting.forwarding.config import ConnectorConfig, connector_config
from vhttdl.reporting.forwarding.destination import NATIONAL, SUBJECT_TYPE
from vhttdl.reporting.forwarding.stand_in import stand_in_record
from vhttdl.reporting.models import DataValue, Submission

__all__ = ["build_payload", "idempotency_key_for", "outbox_enqueue_submission", "stand_in_record"]


def build_payload(submission: Submission, config: ConnectorConfig) -> dict[str, Any]:
    """The report as the national system receives it, in its codes."""
    mapping = config.mapping
    values = (
        DataValue.objects.filter(submission=submission)
        .select_related("data_element", "category_option_combo")
        .order_by("data_element__code", "category_option_combo__code")
    )
    return {
        "source": "vhttdl",
        "report": mapping.form(submission.form.code),
        "period": submission.period.code,
        "orgUnit": mapping.org_unit(submission.organisation.code),
        "acceptedAt": submission.accepted_at.isoformat() if submission.accepted_at else None,
        "dataValues": [
            {
                "indicator": mapping.data_element(v.data_element.code, v.data_element.national_code),
                "disaggregation": mapping.option_combo(v.category_option_combo.code),
                "value": v.value,
                **({"comment": v.comment} if v.comment else {}),
            }
            for v in values
        ],
    }


def idempotency_key_for(submission: Submission, payload: dict) -> str:
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"vhttdl-{submission.pk}-{digest[:24]}"


def outbox_enqueue_submission(*, submission_id: int) -> None:
    """Queue an accepted report for the national system (no-op when it is not accepted).

    The same report with the same content gets the same idempotency key, so enqueueing twice
    keeps one outbox message and the receiver records it once. Sending starts right after commit.
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_related("form", "period", "organisation").filter(pk=submission_id).first()
        )
        if submission is None or submission.status != Submission.Status.ACCEPTED:
            return
        payload = build_payload(submission, connector_config())
        outbox_put(destination=NATIONAL, key=idempotency_key_for(submission, payload), payload=payload,
                   subject_type=SUBJECT_TYPE, subject_id=submission.pk, subject_repr=str(submission))
