"""Scopes (issue item 11): role × place in the tree × action, for entry, view, approve and accept.

Rules under test (reporting/permissions.py): a unit enters only its own data; viewing follows the
subtree (plus predecessor units); the parent level approves, and a unit right under the Ministry
(a department) has its own leader approve its reports; the Ministry accepts.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.core.factories import make_org, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.models import Submission

pytestmark = pytest.mark.django_db

HOME = {
    Role.SYSTEM_ADMIN: "ministry",
    Role.MINISTRY_LEADER: "ministry",
    Role.MINISTRY_OFFICER: "ministry",
    Role.DEPARTMENT_LEADER: "dept_a",
    Role.DEPARTMENT_OFFICER: "dept_a",
    Role.UNIT_STAFF: "museum_a",
    Role.APPLICANT: "ministry",
}
PLACES = ["museum_a", "dept_a", "museum_b", "dept_b"]

# (role) -> {place: (view, enter, approve, accept)}
# A department's own report is approved by its own leader, not by the Ministry (which accepts it).
MINISTRY_SEES = {"museum_a": True, "dept_a": False, "museum_b": True, "dept_b": False}
EXPECTED = {
    Role.SYSTEM_ADMIN: {p: (True, False, MINISTRY_SEES[p], True) for p in PLACES},
    Role.MINISTRY_LEADER: {p: (True, False, MINISTRY_SEES[p], True) for p in PLACES},
    Role.MINISTRY_OFFICER: {p: (True, False, False, True) for p in PLACES},
    Role.DEPARTMENT_LEADER: {
        "museum_a": (True, False, True, False),
        "dept_a": (True, True, True, False),
        "museum_b": (False, False, False, False),
        "dept_b": (False, False, False, False),
    },
    Role.DEPARTMENT_OFFICER: {
        "museum_a": (True, False, False, False),
        "dept_a": (True, True, False, False),
        "museum_b": (False, False, False, False),
        "dept_b": (False, False, False, False),
    },
    Role.UNIT_STAFF: {
        "museum_a": (True, True, False, False),
        "dept_a": (False, False, False, False),
        "museum_b": (False, False, False, False),
        "dept_b": (False, False, False, False),
    },
    Role.APPLICANT: {p: (False, False, False, False) for p in PLACES},
}

CASES = [(role, place) for role in EXPECTED for place in PLACES]


@pytest.fixture
def reports(tree):
    form = make_form().form
    return {place: filled_submission(form, getattr(tree, place)) for place in PLACES}


@pytest.mark.parametrize(("role", "place"), CASES)
def test_matrix(tree, reports, role, place):
    actor = person(role, getattr(tree, HOME[role]))
    submission = reports[place]
    view, enter, approve, accept = EXPECTED[role][place]
    assert permissions.can_view(actor, submission) is view
    assert permissions.can_enter(actor, submission) is enter
    submission.status = Submission.Status.SUBMITTED
    assert permissions.can_approve(actor, submission) is approve
    assert permissions.can_accept(actor, submission) is accept
    # The same rules through the selectors every page and API uses.
    assert selectors.submission_list(actor=actor).filter(pk=submission.pk).exists() is view
    assert selectors.datavalue_list(actor=actor, submission=submission).exists() is view
    if not view:
        with pytest.raises(Http404):
            selectors.get_submission_for_actor(actor, submission.pk)
    else:
        for action, allowed in (
            (ReportingAction.ENTER, enter),
            (ReportingAction.APPROVE, approve),
            (ReportingAction.ACCEPT, accept),
        ):
            if allowed:
                assert selectors.get_submission_for_actor(actor, submission.pk, action).pk == submission.pk
            else:
                with pytest.raises(PermissionDenied):
                    selectors.get_submission_for_actor(actor, submission.pk, action)


@pytest.mark.parametrize(
    ("role", "count"),
    [
        (Role.DEPARTMENT_LEADER, 2),  # the museum below and its own department's report
        (Role.MINISTRY_LEADER, 2),  # the museums; departments' reports are their leaders' to approve
        (Role.DEPARTMENT_OFFICER, 0),
        (Role.UNIT_STAFF, 0),
    ],
)
def test_approval_inbox(tree, reports, role, count):
    Submission.objects.update(status=Submission.Status.SUBMITTED)
    actor = person(role, getattr(tree, HOME[role]))
    assert selectors.submission_list(actor=actor, action=ReportingAction.APPROVE).count() == count


def test_acceptance_inbox(tree, reports):
    Submission.objects.filter(organisation__code__in=["SO-A-BT", "SO-B-BT"]).update(status=Submission.Status.SUBMITTED)
    Submission.objects.filter(organisation__code="SO-A").update(status=Submission.Status.SUBMITTED)
    Submission.objects.filter(organisation__code="SO-B").update(status=Submission.Status.APPROVED)
    officer = person(Role.MINISTRY_OFFICER, tree.ministry)
    codes = set(
        selectors.submission_list(actor=officer, action=ReportingAction.ACCEPT).values_list(
            "organisation__code", flat=True
        )
    )
    # Only approved reports: museums wait for their department, departments for their own leader.
    assert codes == {"SO-B"}


def test_entry_list_is_own_units_only(tree, reports):
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    assert list(selectors.submission_list(actor=staff, action=ReportingAction.ENTER)) == [reports["museum_a"]]
    Submission.objects.filter(pk=reports["museum_a"].pk).update(status=Submission.Status.ACCEPTED)
    assert not selectors.submission_list(actor=staff, action=ReportingAction.ENTER).exists()


def test_current_department_views_its_predecessors_reports(tree):
    form = make_form().form
    old = make_org("SO-A-2025", parent=tree.ministry, area=tree.area_a, valid_to=date(2025, 6, 30), name="Sở An (cũ)")
    old.successors.add(tree.dept_a)
    older = make_org("SO-Z-2025", parent=tree.ministry, valid_to=date(2025, 6, 30), name="Sở Z (cũ)")
    older.successors.add(old)
    report = filled_submission(form, old, period_code="202401")
    report_older = filled_submission(form, older, period_code="202401")
    officer_a = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    officer_b = person(Role.DEPARTMENT_OFFICER, tree.dept_b)
    assert permissions.can_view(officer_a, report) and permissions.can_view(officer_a, report_older)
    assert not permissions.can_view(officer_b, report)
    assert not permissions.can_enter(officer_a, report)  # read-only: it is another (closed) unit's data
    visible = set(selectors.submission_list(actor=officer_a).values_list("organisation__code", flat=True))
    assert {"SO-A-2025", "SO-Z-2025"} <= visible
    assert Organisation.objects.get(code="SO-A-2025").valid_to == date(2025, 6, 30)


def test_anonymous_sees_nothing(tree, reports):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.submission_list(actor=AnonymousUser()).exists()
    assert not permissions.can_view(AnonymousUser(), reports["dept_a"])
