"""Unit changes reach the analytics as a background task (inline only when no broker is configured)."""

from __future__ import annotations

import pytest

from tests.core.factories import current_version
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.units.services import organisation_close, organisation_move
from vhttdl.reporting.analytics import tasks
from vhttdl.reporting.analytics.models import AggregateValue
from vhttdl.reporting.analytics.services import aggregates_apply_submission

pytestmark = pytest.mark.django_db


def test_moves_and_closures_queue_the_follow_up_task(tree, meta, monkeypatch, django_capture_on_commit_callbacks):
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks.follow_units, "delay", lambda ids: queued.append(ids))
    aggregates_apply_submission(submission_id=report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "5"}).pk)

    with django_capture_on_commit_callbacks(execute=True):
        organisation_move(actor=SYSTEM, organisation=tree.museum_a, new_parent=tree.dept_b,
                          version=current_version(tree.museum_a))
    with django_capture_on_commit_callbacks(execute=True):
        organisation_close(actor=SYSTEM, organisation=tree.agency, successors=[tree.dept_b],
                           version=current_version(tree.agency))

    assert queued == [[tree.museum_a.pk], [tree.agency.pk]]
    # Queued, not yet run: the department it left still shows it until a worker takes the task.
    assert AggregateValue.objects.filter(organisation=tree.dept_a).exists()
    assert tasks.follow_units.run(queued[0]) == {"units": 1, "reports": 1}
    assert not AggregateValue.objects.filter(organisation=tree.dept_a).exists()
    assert AggregateValue.objects.get(organisation=tree.dept_b).total == 5
