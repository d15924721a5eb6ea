"""Demo: send the most recent accepted reports to the stand-in receiver, so the status page has rows.

Idempotent: a report already queued with the same content keeps its outbox message (same key).
"""

from __future__ import annotations

from typing import Any

from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.services import outbox_drain
from vhttdl.reporting.forwarding.destination import NATIONAL
from vhttdl.reporting.forwarding.selectors import national_messages
from vhttdl.reporting.forwarding.services import outbox_enqueue_submission
from vhttdl.reporting.models import Submission

DEMO_REPORTS = 60


def load_demo() -> dict[str, Any]:
    accepted = list(
        Submission.objects.filter(status=Submission.Status.ACCEPTED)
        .order_by("-period__start_date", "organisation__path")
        .values_list("pk", flat=True)[:DEMO_REPORTS]
    )
    for pk in accepted:
        outbox_enqueue_submission(submission_id=pk)
    outbox_drain(destination=NATIONAL)
    counts = dict.fromkeys(Message.Status.values, 0)
    for status in national_messages().values_list("status", flat=True):
        counts[status] += 1
    return {"queued": len(accepted), **counts}
