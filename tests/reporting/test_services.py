from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from tests.core.factories import current_version, person
from tests.reporting.factories import GOOD_CELLS, filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.models import DataValue, FormVersion, Submission
from vhttdl.reporting.periods import period_for_code
from vhttdl.reporting.services import (
    CellInput,
    metadata,
    submission_accept,
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_values_save,
)

S = Submission.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def form(tree):
    return make_form().form


@pytest.fixture
def people(tree):
    return {
        "museum": person(Role.UNIT_STAFF, tree.museum_a, email="bt@a.vn"),
        "officer_a": person(Role.DEPARTMENT_OFFICER, tree.dept_a, email="cv@a.vn"),
        "leader_a": person(Role.DEPARTMENT_LEADER, tree.dept_a, email="ld@a.vn"),
        "leader_b": person(Role.DEPARTMENT_LEADER, tree.dept_b),
        "officer_b": person(Role.DEPARTMENT_OFFICER, tree.dept_b),
        "ministry_officer": person(Role.MINISTRY_OFFICER, tree.ministry, email="bo@bo.vn"),
        "ministry_leader": person(Role.MINISTRY_LEADER, tree.ministry, email="lanhdao@bo.vn"),
    }


# --- entry ---------------------------------------------------------------------------------------


def test_open_creates_a_draft_once_with_deadline(form, tree, people):
    period = period_for_code("202501")
    first = submission_open(actor=people["museum"], form=form, organisation=tree.museum_a, period=period)
    again = submission_open(actor=people["museum"], form=form, organisation=tree.museum_a, period=period)
    assert first.pk == again.pk and first.status == S.DRAFT
    assert first.deadline == date(2025, 2, 20)
    assert first.form_version.status == FormVersion.Status.PUBLISHED


def test_open_refuses_other_units_wrong_period_type_and_non_submitters(form, tree, people):
    with pytest.raises(PermissionDenied):
        submission_open(
            actor=people["officer_a"], form=form, organisation=tree.museum_a, period=period_for_code("202501")
        )
    with pytest.raises(InvalidInput) as exc:
        submission_open(actor=people["museum"], form=form, organisation=tree.museum_a, period=period_for_code("2025Q1"))
    assert exc.value.code == "period_type_mismatch"
    with pytest.raises(InvalidInput) as exc:
        submission_open(actor=SYSTEM, form=form, organisation=tree.agency, period=period_for_code("202501"))
    assert exc.value.code == "not_a_submitter"


def test_open_refuses_a_unit_closed_before_the_period(form, tree):
    tree.museum_a.valid_to = date(2024, 6, 30)
    tree.museum_a.save()
    with pytest.raises(InvalidInput) as exc:
        submission_open(actor=SYSTEM, form=form, organisation=tree.museum_a, period=period_for_code("202501"))
    assert exc.value.code == "unit_not_valid"


def test_save_values_cleans_and_bumps_version(form, tree, people):
    submission = submission_open(
        actor=people["museum"], form=form, organisation=tree.museum_a, period=period_for_code("202501")
    )
    result = submission_values_save(actor=people["museum"], submission=submission, cells=GOOD_CELLS, version=1)
    assert result.saved == 6 and not result.errors
    submission.refresh_from_db()
    assert submission.version == 2
    values = {
        (v.data_element.code, v.category_option_combo.code): v
        for v in DataValue.objects.filter(submission=submission).select_related("data_element", "category_option_combo")
    }
    assert values[("VISITS", "DOM")].value == "1500" and values[("VISITS", "DOM")].numeric_value == 1500
    assert values[("REVENUE", "default")].numeric_value == 12.5
    assert values[("VISITS", "DOM")].organisation_id == tree.museum_a.pk
    entry = AuditEntry.objects.filter(action="reporting.values_save").latest("seq")
    assert entry.after["version"] == 2 and len(entry.after["cells"]) == 6
    # Emptying a cell deletes it; a comment alone keeps the cell.
    submission_values_save(
        actor=people["museum"],
        submission=submission,
        version=2,
        cells=[CellInput("REVENUE", "default", ""), CellInput("RATE", "default", "45", comment="Ước tính")],
    )
    assert not DataValue.objects.filter(submission=submission, data_element__code="REVENUE").exists()
    assert DataValue.objects.get(submission=submission, data_element__code="RATE").comment == "Ước tính"


def test_strict_save_is_all_or_nothing(form, tree, people):
    submission = submission_open(
        actor=people["museum"], form=form, organisation=tree.museum_a, period=period_for_code("202501")
    )
    bad = [
        CellInput("HELD", "default", "10"),
        CellInput("VISITS", "INTL", "mười"),
        CellInput("RATE", "default", "120"),
        CellInput("NOPE", "default", "1"),
    ]
    with pytest.raises(InvalidInput) as exc:
        submission_values_save(actor=people["museum"], submission=submission, cells=bad, version=None)
    errors = exc.value.details["errors"]
    assert {(e["element"], e["code"]) for e in errors} == {
        ("VISITS", "not_a_number"),
        ("RATE", "percentage_out_of_range"),
        ("NOPE", "unknown_cell"),
    }
    assert not DataValue.objects.filter(submission=submission).exists()
    # The grid's autosave keeps the good cells and returns the bad ones.
    result = submission_values_save(
        actor=people["museum"], submission=submission, cells=bad, version=None, strict=False
    )
    assert result.saved == 1 and len(result.errors) == 3


def test_stale_save_gets_409_listing_changed_cells(form, tree, people):
    submission = submission_open(
        actor=people["museum"], form=form, organisation=tree.museum_a, period=period_for_code("202501")
    )
    other = person(Role.UNIT_STAFF, tree.museum_a)
    submission_values_save(actor=other, submission=submission, cells=[CellInput("HELD", "default", "50")], version=1)
    with pytest.raises(Conflict) as exc:
        submission_values_save(
            actor=people["museum"], submission=submission, cells=[CellInput("HELD", "default", "70")], version=1
        )
    assert exc.value.code == "stale_version"
    changed = exc.value.details["changed"]
    assert changed == [
        {"element": "HELD", "combo": "default", "old": None, "new": "50", "by": other.username, "at": changed[0]["at"]}
    ]
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "50"


def test_only_the_unit_itself_enters(form, tree, people):
    submission = submission_open(actor=SYSTEM, form=form, organisation=tree.museum_a, period=period_for_code("202501"))
    for who in ("officer_a", "leader_a", "ministry_officer"):
        with pytest.raises(PermissionDenied):
            submission_values_save(actor=people[who], submission=submission, cells=GOOD_CELLS, version=None)


# --- workflow ------------------------------------------------------------------------------------


def test_full_workflow_with_mails_events_and_hooks(form, tree, people, django_capture_on_commit_callbacks):
    submission = filled_submission(form, tree.museum_a)
    with (
        mock.patch("vhttdl.reporting.hooks._apply_aggregates") as apply,
        mock.patch("vhttdl.reporting.hooks._enqueue_forwarding") as forward,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setattr("vhttdl.reporting.services.workflow.timezone.localdate", lambda: date(2025, 2, 10))
        with django_capture_on_commit_callbacks(execute=True):
            warnings = submission_submit(actor=people["museum"], submission=submission, version=submission.version)
        assert warnings == []
        submission.refresh_from_db()
        assert submission.status == S.SUBMITTED and not submission.is_late
        assert "ld@a.vn" in mail.outbox[-1].to
        apply.assert_not_called()
        with django_capture_on_commit_callbacks(execute=True):
            submission_approve(actor=people["leader_a"], submission=submission, version=current_version(submission))
        apply.assert_called_once_with(submission.pk)
        assert "bt@a.vn" in mail.outbox[-1].to
        with django_capture_on_commit_callbacks(execute=True):
            submission_accept(actor=people["ministry_officer"], submission=submission,
                              version=current_version(submission))
        forward.assert_called_once_with(submission.pk)
        assert apply.call_count == 2
        with django_capture_on_commit_callbacks(execute=True):
            submission_return(actor=people["ministry_officer"], submission=submission, reason="Sai số liệu",
                              version=current_version(submission))
        assert apply.call_count == 3
    submission.refresh_from_db()
    assert submission.status == S.RETURNED and submission.accepted_at is None
    assert [e.action for e in submission.events.all()] == ["submit", "approve", "accept", "reopen"]
    assert "Sai số liệu" in mail.outbox[-1].body


def test_submit_blocks_on_error_rules_and_keeps_warnings(form, tree, people):
    cells = [CellInput("HELD", "default", "10"), CellInput("DIGITISED", "default", "20")]
    submission = filled_submission(form, tree.museum_a, cells=cells)
    with pytest.raises(InvalidInput) as exc:
        submission_submit(actor=people["museum"], submission=submission, version=current_version(submission))
    assert exc.value.code == "validation_failed"
    assert {r["code"] for r in exc.value.details["rules"]} == {"SO_HOA"}  # VISITS empty: warning skipped
    submission_values_save(
        actor=people["museum"],
        submission=submission,
        version=None,
        cells=[CellInput("DIGITISED", "default", "5"), CellInput("VISITS", "DOM", "3")],
    )
    warnings = submission_submit(actor=people["museum"], submission=submission, version=current_version(submission))
    assert [w.rule.code for w in warnings] == ["IT_KHACH"]
    assert "Lượt khách thấp" in submission.events.get(action="submit").reason


def test_late_submission_is_marked(form, tree, people, monkeypatch):
    submission = filled_submission(form, tree.museum_a)
    monkeypatch.setattr(
        "vhttdl.reporting.services.workflow.timezone.localdate", lambda: submission.deadline + timedelta(days=1)
    )
    submission_submit(actor=people["museum"], submission=submission, version=current_version(submission))
    submission.refresh_from_db()
    assert submission.is_late


def test_locked_after_submit_and_reopen_needs_reason(form, tree, people):
    submission = filled_submission(form, tree.museum_a)
    submission_submit(actor=people["museum"], submission=submission, version=current_version(submission))
    with pytest.raises(Conflict) as exc:
        submission_values_save(actor=people["museum"], submission=submission, cells=GOOD_CELLS, version=None)
    assert exc.value.code == "locked"
    with pytest.raises(InvalidInput):
        submission_return(actor=people["leader_a"], submission=submission, reason="  ",
                          version=current_version(submission))
    with pytest.raises(PermissionDenied):
        submission_return(actor=people["leader_b"], submission=submission, reason="Không phải của tôi",
                          version=current_version(submission))
    submission_return(actor=people["leader_a"], submission=submission, reason="Bổ sung",
                      version=current_version(submission))
    submission.refresh_from_db()
    assert submission.status == S.RETURNED
    submission_values_save(actor=people["museum"], submission=submission, cells=GOOD_CELLS[:1], version=None)


def test_parent_approves_only_after_children(form, tree, people):
    museum_report = filled_submission(form, tree.museum_a)
    dept_report = filled_submission(form, tree.dept_a)
    submission_submit(actor=people["officer_a"], submission=dept_report, version=current_version(dept_report))
    # The department's own report is approved by its own leader, once the museum below is approved.
    with pytest.raises(Conflict) as exc:
        submission_approve(actor=people["leader_a"], submission=dept_report, version=current_version(dept_report))
    assert exc.value.code == "children_not_approved" and exc.value.details["units"] == ["SO-A-BT"]
    submission_submit(actor=people["museum"], submission=museum_report, version=current_version(museum_report))
    submission_approve(actor=people["leader_a"], submission=museum_report, version=current_version(museum_report))
    submission_approve(actor=people["leader_a"], submission=dept_report, version=current_version(dept_report))
    dept_report.refresh_from_db()
    assert dept_report.status == S.APPROVED and dept_report.approved_by == people["leader_a"]


def test_a_department_officer_report_needs_its_leader_before_the_ministry(form, tree, people):
    """Issue 8: a department officer's own report went straight to the Ministry. Now: leader, then Ministry."""
    report = filled_submission(form, tree.dept_b)
    museum_b = filled_submission(form, tree.museum_b)
    submission_submit(actor=SYSTEM, submission=museum_b, version=current_version(museum_b))
    submission_approve(actor=people["leader_b"], submission=museum_b, version=current_version(museum_b))
    submission_submit(actor=people["officer_b"], submission=report, version=current_version(report))
    report.refresh_from_db()
    assert permissions.allowed_actions(people["ministry_officer"], report)["accept"] is False
    with pytest.raises(Conflict):  # not yet approved: the Ministry cannot accept it
        submission_accept(actor=people["ministry_officer"], submission=report, version=current_version(report))
    for outsider in (people["ministry_leader"], people["leader_a"], people["officer_b"]):
        with pytest.raises(PermissionDenied):  # the Ministry's grants do not reach the department's step
            submission_approve(actor=outsider, submission=report, version=current_version(report))
    assert not selectors.submission_list(actor=people["ministry_leader"], action="reporting.approve").filter(
        pk=report.pk).exists()
    assert selectors.submission_list(actor=people["leader_b"], action="reporting.approve").filter(
        pk=report.pk).exists()
    submission_approve(actor=people["leader_b"], submission=report, version=current_version(report))
    report.refresh_from_db()
    assert selectors.submission_list(actor=people["ministry_officer"], action="reporting.accept").filter(
        pk=report.pk).exists()
    submission_accept(actor=people["ministry_officer"], submission=report, version=current_version(report))
    report.refresh_from_db()
    assert report.status == S.ACCEPTED and report.approved_by == people["leader_b"]
    assert list(report.events.values_list("action", flat=True)) == ["submit", "approve", "accept"]


def test_one_next_step_at_a_time(form, tree, people):
    """A report never offers both "Duyệt" and "Bộ tiếp nhận": submitted → approve; approved → accept."""
    report = filled_submission(form, tree.museum_a)
    submission_submit(actor=SYSTEM, submission=report, version=current_version(report))
    report.refresh_from_db()
    for actor in (people["ministry_leader"], SYSTEM):
        actions = permissions.allowed_actions(actor, report)
        assert actions["approve"] and not actions["accept"]
    submission_approve(actor=people["leader_a"], submission=report, version=current_version(report))
    report.refresh_from_db()
    actions = permissions.allowed_actions(people["ministry_leader"], report)
    assert actions["accept"] and not actions["approve"]


def test_next_step_names_the_unit_and_the_people(form, tree, people):
    report = filled_submission(form, tree.dept_a)
    step = selectors.next_step(report)
    assert step.text == "Chờ Sở An nhập và nộp" and people["officer_a"].get_full_name() in step.people
    submission_submit(actor=SYSTEM, submission=report, version=current_version(report))
    report.refresh_from_db()
    step = selectors.next_step(report)
    assert step.text == "Chờ lãnh đạo Sở An duyệt" and step.people == [people["leader_a"].get_full_name()]
    museum = filled_submission(form, tree.museum_b)
    submission_submit(actor=SYSTEM, submission=museum, version=current_version(museum))
    museum.refresh_from_db()
    assert selectors.next_step(museum).unit == tree.dept_b  # a museum's report: its department's leaders
    Submission.objects.filter(pk=report.pk).update(status=S.APPROVED)
    report.refresh_from_db()
    step = selectors.next_step(report)
    assert step.text == "Chờ Bộ Thử tiếp nhận" and people["ministry_officer"].get_full_name() in step.people
    Submission.objects.filter(pk=report.pk).update(status=S.ACCEPTED)
    report.refresh_from_db()
    assert selectors.next_step(report).action == ""


def test_workflow_version_check(form, tree, people):
    submission = filled_submission(form, tree.museum_a)
    with pytest.raises(Conflict):
        submission_submit(actor=people["museum"], submission=submission, version=submission.version - 1)


def test_expired_draft_locks_for_units(tree, people, monkeypatch):
    form = make_form("T.EXP", expiry_days=5).form
    submission = filled_submission(form, tree.museum_a)
    monkeypatch.setattr(
        "vhttdl.reporting.services.entry.timezone.localdate", lambda: submission.deadline + timedelta(days=6)
    )
    with pytest.raises(Conflict) as exc:
        submission_values_save(actor=people["museum"], submission=submission, cells=GOOD_CELLS, version=None)
    assert exc.value.code == "expired"


def test_reminders_go_to_units_that_have_not_submitted(tree, people, django_capture_on_commit_callbacks):
    from vhttdl.reporting.services import reminders_send

    form = make_form().form
    done = filled_submission(form, tree.dept_b, period_code="202501")
    submission_submit(actor=SYSTEM, submission=done, version=current_version(done))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(days_ahead=3, on=date(2025, 2, 18))  # deadline of 202501 is 20 Feb
    recipients = {address for m in mail.outbox for address in m.to}
    assert sent >= 2  # museum A and department A (department B has submitted)
    assert {"bt@a.vn", "cv@a.vn"} <= recipients
    assert not any("SO-B" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days_ahead=3, on=date(2025, 2, 18)) == 0  # once a day, however often it runs
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(days_ahead=3, on=date(2025, 2, 19)) == sent


# --- metadata ------------------------------------------------------------------------------------


def test_editing_a_form_in_use_makes_a_new_version(form, tree):
    submission = filled_submission(form, tree.museum_a)
    v1 = submission.form_version
    layout = {"sections": [{"title": "Mới", "rows": [{"element": "HELD"}, {"element": "DIGITISED"}]}]}
    draft = metadata.form_layout_save(actor=SYSTEM, form=form, layout=layout)
    assert draft.number == 2 and draft.status == FormVersion.Status.DRAFT
    assert set(draft.data_elements.values_list("code", flat=True)) == {"HELD", "DIGITISED"}
    again = metadata.form_layout_save(actor=SYSTEM, form=form, layout=layout)
    assert again.pk == draft.pk
    metadata.form_version_publish(actor=SYSTEM, version=draft)
    v1.refresh_from_db()
    assert v1.status == FormVersion.Status.RETIRED
    submission.refresh_from_db()
    assert submission.form_version_id == v1.pk
    new = submission_open(actor=SYSTEM, form=form, organisation=tree.museum_a, period=period_for_code("202502"))
    assert new.form_version_id == draft.pk


def test_layout_and_rule_checks(form):
    with pytest.raises(InvalidInput, match="NOPE"):
        metadata.form_layout_save(
            actor=SYSTEM, form=form, layout={"sections": [{"title": "A", "rows": [{"element": "NOPE"}]}]}
        )
    with pytest.raises(InvalidInput):
        metadata.form_layout_save(
            actor=SYSTEM,
            form=form,
            layout={"sections": [{"title": "A", "rows": [{"element": "HELD"}, {"element": "HELD"}]}]},
        )
    with pytest.raises(InvalidInput):
        metadata.validation_rule_save(
            actor=SYSTEM,
            form=form,
            code="X",
            left="#{VISITS.XX}",
            operator="<=",
            right="1",
            importance="error",
            message="m",
        )
    with pytest.raises(InvalidInput):
        metadata.validation_rule_save(
            actor=SYSTEM,
            form=form,
            code="X",
            left="#{HELD} +",
            operator="<=",
            right="1",
            importance="error",
            message="m",
        )


def test_combo_generates_the_cartesian_product():
    a = metadata.category_save(actor=SYSTEM, code="SEX", name="Giới tính", options=[("M", "Nam", ""), ("F", "Nữ", "")])
    b = metadata.category_save(
        actor=SYSTEM, code="AGE", name="Tuổi", options=[("Y", "Dưới 18", ""), ("O", "Từ 18", "")]
    )
    combo = metadata.combo_save(actor=SYSTEM, code="SEX_AGE", name="Giới tính × tuổi", categories=[a, b])
    codes = list(combo.option_combos.order_by("sort_order").values_list("code", flat=True))
    assert codes == ["M_Y", "M_O", "F_Y", "F_O"]
    assert combo.option_combos.get(code="F_O").name == "Nữ, Từ 18"


def test_design_needs_permission(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(PermissionDenied):
        metadata.category_save(actor=officer, code="X", name="X")
    designer = person(Role.MINISTRY_OFFICER, tree.ministry)
    assert metadata.category_save(actor=designer, code="X", name="X").code == "X"


def test_catalogue_and_demo_are_idempotent(tree):
    from vhttdl.reporting.demo import load_demo
    from vhttdl.reporting.forms_catalogue import FORMS, load_catalogue
    from vhttdl.reporting.services.workflow import rule_failures

    made = load_catalogue()
    assert made["forms"] == len(FORMS)
    assert load_catalogue() == {"categories": 0, "combos": 0, "elements": 0, "forms": 0, "rules": 0}
    first = load_demo(today=date(2025, 8, 20), rebuild_analytics=False)
    assert first["submissions"] > 0 and first["values"] > 0
    assert load_demo(today=date(2025, 8, 20), rebuild_analytics=False)["submissions"] == 0
    counted = Submission.objects.exclude(status=S.DRAFT).select_related("form")
    assert counted.exists()
    assert not [s for s in counted if any(f.is_error for f in rule_failures(s))]


def test_open_refuses_a_period_not_yet_started(form, tree):
    from django.utils import timezone

    from vhttdl.reporting.periods import period_containing, previous_period_code

    current = period_containing("monthly", timezone.localdate())
    next_month = period_for_code(f"{int(current[:4]) + 1}01")
    with pytest.raises(InvalidInput) as exc:
        submission_open(actor=SYSTEM, form=form, organisation=tree.museum_a, period=next_month)
    assert exc.value.code == "future_period"
    assert (
        submission_open(
            actor=SYSTEM, form=form, organisation=tree.museum_a, period=period_for_code(previous_period_code(current))
        ).status
        == S.DRAFT
    )


def test_new_option_adds_columns_to_combos():
    a = metadata.category_save(actor=SYSTEM, code="KENH_X", name="Kênh", options=[("ON_X", "Trực tuyến", "")])
    combo = metadata.combo_save(actor=SYSTEM, code="KENH_X", name="Kênh", categories=[a])
    assert list(combo.option_combos.values_list("code", flat=True)) == ["ON_X"]
    metadata.category_save(
        actor=SYSTEM,
        category=a,
        code="KENH_X",
        name="Kênh",
        options=[("ON_X", "Trực tuyến", ""), ("OFF_X", "Trực tiếp", "")],
    )
    assert set(combo.option_combos.values_list("code", flat=True)) == {"ON_X", "OFF_X"}
