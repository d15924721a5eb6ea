"""Upgrading: the rows of reporting's old forwarding outbox move into core's outbox, nothing lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.reporting.analytics.builders import build_metadata, report
from vhttdl.core.outbox.models import Message
from vhttdl.reporting.models import Submission

OLD = [("reporting_forwarding", "0001_initial")]
NEW = [("reporting_forwarding", "0003_delete_outboxmessage")]


@pytest.mark.django_db(transaction=True)
def test_queued_sent_and_dead_rows_move_with_their_state(tree):
    meta = build_metadata()
    subs = [report(meta, unit, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.ACCEPTED)
            for unit in (tree.museum_a, tree.museum_b)]
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    try:
        Old = executor.loader.project_state(OLD).apps.get_model("reporting_forwarding", "OutboxMessage")
        due = timezone.now() + timedelta(minutes=7)
        Old.objects.create(submission_id=subs[0].pk, idempotency_key="vhttdl-a", status="pending", attempts=2,
                           next_attempt_at=due, last_error="HTTP 503: x", payload={"dataValues": [1]})
        Old.objects.create(submission_id=subs[1].pk, idempotency_key="vhttdl-b", status="failed", attempts=8,
                           last_error="HTTP 401: y", response_code=401)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(NEW)
    moved = {m.idempotency_key: m for m in Message.objects.all()}
    assert set(moved) == {"vhttdl-a", "vhttdl-b"}
    pending, dead = moved["vhttdl-a"], moved["vhttdl-b"]
    assert (pending.destination, pending.subject_type, pending.subject_id) == (
        "reporting.national", "reporting.submission", subs[0].pk)
    assert (pending.status, pending.attempts, pending.next_attempt_at, pending.payload) == (
        "pending", 2, due, {"dataValues": [1]})
    assert (dead.status, dead.attempts, dead.response_code, dead.last_error) == ("failed", 8, 401, "HTTP 401: y")
