"""The workflow's contracts: approvals, acceptance and returns update analytics and the outbox on commit."""

from __future__ import annotations

import pytest

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.outbox.models import Message as OutboxMessage
from vhttdl.reporting.analytics.selectors import analytics_values, resolve_periods
from vhttdl.reporting.analytics.services import aggregates_rebuild
from vhttdl.reporting.forwarding.models import StandInReceipt
from vhttdl.reporting.models import DataElement, Submission
from vhttdl.reporting.services.workflow import (
    submission_accept,
    submission_approve,
    submission_return,
    submission_submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reporting.analytics.urls")]


def visits(unit) -> dict:
    cells = analytics_values(actor=SYSTEM, elements=[DataElement.objects.get(code="VISITS")],
                             periods=resolve_periods(["202501"]), units=[unit], by="co")
    return {c.co: c.value for c in cells}


def test_approve_accept_and_return_through_the_workflow(tree, settings, django_capture_on_commit_callbacks):
    settings.NATIONAL_REPORTING_URL = ""
    settings.NATIONAL_REPORTING_TOKEN = ""
    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    form = make_form().form
    sub = filled_submission(form, tree.museum_a)
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a)
    boss = person(Role.MINISTRY_LEADER, tree.ministry)

    with django_capture_on_commit_callbacks(execute=True):
        submission_submit(actor=SYSTEM, submission=sub, version=current_version(sub))
    assert visits(tree.dept_a) == {}  # submitted, not yet approved: does not count

    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(actor=leader, submission=Submission.objects.get(pk=sub.pk),
                           version=current_version(sub))
    assert visits(tree.dept_a) == {"INTL": 120, "DOM": 1500}
    assert visits(tree.ministry) == {"INTL": 120, "DOM": 1500}
    assert not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        submission_accept(actor=boss, submission=Submission.objects.get(pk=sub.pk),
                          version=current_version(sub))
    assert visits(tree.ministry) == {"INTL": 120, "DOM": 1500}
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert StandInReceipt.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        submission_return(actor=boss, submission=Submission.objects.get(pk=sub.pk), reason="Sai số liệu",
                          version=current_version(sub))
    assert visits(tree.ministry) == {}
    before = set(aggregates_rebuild().items())
    assert ("aggregates", 0) in before
