"""/api/v1/reporting: forms, submissions, cell entry and the approval workflow, for machine clients.

Data exchange in DHIS2 formats lives at /api/v1/dataValueSets and analytics at /api/v1/analytics
(sub-apps). Errors have the one shape: 400 bad cells (details list each), 403, 404, 409 stale
version (details list the cells changed since) or a state that moved on.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.completeness import completeness
from vhttdl.reporting.models import ReportForm
from vhttdl.reporting.periods import codes_in_range, parse_period, period_for_code, periods_for_codes
from vhttdl.reporting.schemas import (
    CompletenessOut,
    FormDetailOut,
    FormOut,
    OpenIn,
    ReturnIn,
    StepIn,
    StepOut,
    SubmissionDetailOut,
    SubmissionOut,
    ValuesIn,
    ValuesOut,
)
from vhttdl.reporting.services import (
    CellInput,
    submission_accept,
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_values_save,
)
from vhttdl.reporting.services.workflow import rule_failures

router = Router(tags=["reporting"])


def _form_out(form: ReportForm) -> dict:
    version = selectors.published_version(form)
    return {
        "code": form.code,
        "uid": form.uid,
        "title": form.title,
        "title_en": form.title_en,
        "legal_basis": form.legal_basis,
        "period_type": form.period_type,
        "data_window": form.data_window,
        "submitter_kinds": form.submitter_kinds or [],
        "version": version.number if version else None,
    }


@router.get("/forms", response=list[FormOut])
def list_forms(request):
    return [_form_out(f) for f in selectors.form_list(actor=request.auth, active_only=True)]


@router.get("/form", response=FormDetailOut)
def get_form(request, code: str):
    """One form (by code, e.g. `01.T/DL`) with its published layout: sections, rows, columns, rules."""
    form = get_object_or_404(ReportForm, code=code)
    version = selectors.published_version(form)
    language = get_language()
    sections = []
    if version is not None:
        for section in selectors.form_layout(version).sections:
            sections.append(
                {
                    "title": section.heading(language),
                    "rows": [
                        {
                            "element": r.element.code,
                            "element_uid": r.element.uid,
                            "name": r.title(language),
                            "value_type": r.element.value_type,
                            "unit_of_measure": r.element.unit_of_measure,
                            "columns": [{"code": c.code, "uid": c.uid, "name": c.label(language)}
                                        for c in r.columns],
                        }
                        for r in section.rows
                    ],
                }
            )
    rules = [
        {
            "code": r.code,
            "left": r.left,
            "operator": r.operator,
            "right": r.right,
            "importance": r.importance,
            "message": r.message,
        }
        for r in selectors.validation_rules_of(form)
    ]
    return {**_form_out(form), "sections": sections, "rules": rules}


@router.get("/submissions", response=list[SubmissionOut])
@paginate
def list_submissions(
    request,
    form: str | None = None,
    period: str | None = None,
    status: str | None = None,
    organisation: str | None = None,
    action: str = "view",
):
    """Reports the caller may see; `action` = enter / approve / accept lists what awaits the caller."""
    actions = {
        "view": ReportingAction.VIEW,
        "enter": ReportingAction.ENTER,
        "approve": ReportingAction.APPROVE,
        "accept": ReportingAction.ACCEPT,
    }
    qs = selectors.submission_list(
        actor=request.auth, form=form, period=period, status=status, action=actions.get(action, ReportingAction.VIEW)
    )
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    return qs.order_by("-period__start_date", "form__code", "organisation__path")


@router.post("/submissions", response={200: SubmissionOut, 201: SubmissionOut})
def open_submission(request, payload: OpenIn):
    """Open the caller's unit's report for a form and period (created as a draft the first time).

    Only a unit's own data enterers may open its report: anyone else gets 403, whether the report
    exists or not (nothing about it is returned).
    """
    form = get_object_or_404(ReportForm, code=payload.form)
    organisation = get_object_or_404(Organisation, code=payload.organisation)
    if not permissions.can_enter_for(request.auth, organisation):  # before looking for an existing report
        raise PermissionDenied(_("Chỉ đơn vị %(unit)s được lập báo cáo của chính mình.") % {"unit": organisation.name})
    period = period_for_code(payload.period)
    existed = selectors.submission_list(
        actor=request.auth, form=form, period=period, organisation=organisation
    ).exists()
    submission = submission_open(actor=request.auth, form=form, organisation=organisation, period=period)
    return (200 if existed else 201), submission


def _detail(request, submission):
    """The submission with its cells, what the caller may do, and the rules it fails now."""
    values = selectors.submission_values(submission)
    language = get_language()
    submission.values_out = [
        {"element": e, "combo": c, "value": v.value, "comment": v.comment} for (e, c), v in sorted(values.items())
    ]
    submission.allowed = permissions.allowed_actions(request.auth, submission)
    submission.failures = [
        {"code": f.rule.code, "importance": f.rule.importance, "message": f.message(language)}
        for f in rule_failures(submission)
    ]
    return submission


@router.get("/submissions/{submission_id}", response=SubmissionDetailOut)
def get_submission(request, submission_id: int):
    return _detail(request, selectors.get_submission_for_actor(request.auth, submission_id))


@router.put("/submissions/{submission_id}/values", response=ValuesOut)
def put_values(request, submission_id: int, payload: ValuesIn):
    """Save cells (all or nothing). Send the `version` you read: a stale one gets 409 listing changed cells."""
    submission = selectors.get_submission_for_actor(request.auth, submission_id, ReportingAction.ENTER)
    cells = [CellInput(c.element, c.combo, c.value, c.comment) for c in payload.cells]
    result = submission_values_save(
        actor=request.auth, submission=submission, cells=cells, version=payload.version, strict=True
    )
    return {"version": result.submission.version, "saved": result.saved, "deleted": result.deleted}


def _step_out(submission, warnings=()) -> dict:
    return {
        "id": submission.pk,
        "status": submission.status,
        "version": submission.version,
        "warnings": [w.message(get_language()) for w in warnings],
    }


@router.post("/submissions/{submission_id}/submit", response=StepOut)
def submit(request, submission_id: int, payload: StepIn):
    submission = selectors.get_submission_for_actor(request.auth, submission_id, ReportingAction.ENTER)
    warnings = submission_submit(actor=request.auth, submission=submission, version=payload.version)
    return _step_out(submission, warnings)


@router.post("/submissions/{submission_id}/approve", response=StepOut)
def approve(request, submission_id: int, payload: StepIn):
    submission = selectors.get_submission_for_actor(request.auth, submission_id)
    return _step_out(submission_approve(actor=request.auth, submission=submission, version=payload.version))


@router.post("/submissions/{submission_id}/accept", response=StepOut)
def accept(request, submission_id: int, payload: StepIn):
    submission = selectors.get_submission_for_actor(request.auth, submission_id)
    return _step_out(submission_accept(actor=request.auth, submission=submission, version=payload.version))


@router.post("/submissions/{submission_id}/return", response=StepOut)
def return_submission(request, submission_id: int, payload: ReturnIn):
    submission = selectors.get_submission_for_actor(request.auth, submission_id)
    return _step_out(
        submission_return(actor=request.auth, submission=submission, reason=payload.reason, version=payload.version)
    )


@router.get("/completeness", response=CompletenessOut)
def get_completeness(request, form: str, start: str, end: str):
    """Reporting rates of `form` for the periods from `start` to `end` (period codes), scoped to the caller."""
    report_form = get_object_or_404(ReportForm, code=form)
    first, last = parse_period(start), parse_period(end)
    codes = codes_in_range(report_form.period_type, first.start_date, last.end_date)
    periods = periods_for_codes(codes)
    report = completeness(actor=request.auth, form=report_form, periods=[periods[c] for c in codes])

    def rate(r):
        return {
            "label": r.label,
            "expected": r.expected,
            "submitted": r.submitted,
            "on_time": r.on_time,
            "rate": r.rate,
            "timely_rate": r.timely_rate,
        }

    return {
        "form": report_form.code,
        "periods": codes,
        "national": rate(report.national),
        "by_period": [rate(r) for r in report.by_period],
        "by_department": [rate(r) for r in report.by_department],
        "by_province": [rate(r) for r in report.by_province],
    }
