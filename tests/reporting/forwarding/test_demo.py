from __future__ import annotations

import pytest

from tests.reporting.analytics.builders import report
from vhttdl.core.outbox.models import Message as OutboxMessage
from vhttdl.reporting.forwarding.demo import load_demo
from vhttdl.reporting.forwarding.models import StandInReceipt
from vhttdl.reporting.models import Submission

pytestmark = pytest.mark.django_db


def test_demo_sends_accepted_reports_once(tree, meta, django_capture_on_commit_callbacks):
    for unit in (tree.museum_a, tree.museum_b):
        report(meta, unit, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.ACCEPTED)
    report(meta, tree.dept_a, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        first = load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        again = load_demo()
    assert first["queued"] == 2 and first["sent"] == 2
    assert again == first
    assert OutboxMessage.objects.count() == 2 and StandInReceipt.objects.count() == 2
