"""Side effects other sub-apps own, called after commit: analytics aggregates and forwarding.

Imported lazily so the core reporting code stays importable whatever state those sub-apps are in.
A failure there is logged, never allowed to undo or break the workflow step that caused it.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _apply_aggregates(submission_id: int) -> None:
    try:
        from vhttdl.reporting.analytics.services import aggregates_apply_submission
    except ImportError:
        logger.info("analytics not installed; submission %s not aggregated", submission_id)
        return
    try:
        aggregates_apply_submission(submission_id=submission_id)
    except Exception:
        logger.exception("aggregates_apply_submission failed for submission %s", submission_id)


def _enqueue_forwarding(submission_id: int) -> None:
    try:
        from vhttdl.reporting.forwarding.services import outbox_enqueue_submission
    except ImportError:
        logger.info("forwarding not installed; submission %s not queued", submission_id)
        return
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
