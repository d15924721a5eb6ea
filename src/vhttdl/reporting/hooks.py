"""Side effects the reporting sub-apps own, run after commit: analytics aggregates and forwarding.

Both sub-apps are always installed with reporting. They run after the workflow step has
committed, so a failure there is logged and never undoes or breaks the step that caused it (the
aggregates can be rebuilt, and an accepted report can be queued again).
"""

from __future__ import annotations

import logging

from django.db import transaction

from vhttdl.reporting.analytics.services import aggregates_apply_submission
from vhttdl.reporting.forwarding.services import outbox_enqueue_submission

logger = logging.getLogger(__name__)


def _apply_aggregates(submission_id: int) -> None:
    try:
        aggregates_apply_submission(submission_id=submission_id)
    except Exception:
        logger.exception("aggregates_apply_submission failed for submission %s", submission_id)


def _enqueue_forwarding(submission_id: int) -> None:
    try:
        outbox_enqueue_submission(submission_id=submission_id)
    except Exception:
        logger.exception("outbox_enqueue_submission failed for submission %s", submission_id)


def on_aggregates_change(submission_id: int) -> None:
    """The submission entered or left approved/accepted, or its counted values changed."""
    transaction.on_commit(lambda: _apply_aggregates(submission_id))


def on_accepted(submission_id: int) -> None:
    """The Ministry accepted the submission: forward it to the national system."""
    transaction.on_commit(lambda: _enqueue_forwarding(submission_id))
