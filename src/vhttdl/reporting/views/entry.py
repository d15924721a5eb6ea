"""Pages where units fill reports and superiors approve them: lists, the entry grid, workflow buttons."""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vhttdl.core.errors import Conflict, DomainError, InvalidInput, version_required
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.layout_cache import cached_validation_rules
from vhttdl.reporting.models import ReportForm, Submission
from vhttdl.reporting.periods import period_for_code, period_label
from vhttdl.reporting.pickers import period_options
from vhttdl.reporting.presenters import build_grid, confirmation, reader_cells, report_tab
from vhttdl.reporting.services import (
    CellInput,
    submission_accept,
    submission_approve,
    submission_open,
    submission_return,
    submission_submit,
    submission_values_save,
)
from vhttdl.reporting.services.workflow import children_not_approved, rule_failures

STATUS_BADGE = {
    Submission.Status.DRAFT: "info",
    Submission.Status.SUBMITTED: "warn",
    Submission.Status.APPROVED: "brand",
    Submission.Status.ACCEPTED: "ok",
    Submission.Status.RETURNED: "err",
}


def _forwarding(submissions) -> dict:
    """{submission id: ForwardingStatus} for submissions already scoped to the actor (one query);
    empty when the forwarding sub-app is not installed."""
    if not apps.is_installed("vhttdl.reporting.forwarding"):
        return {}
    from vhttdl.reporting.forwarding.selectors import forwarding_statuses

    return forwarding_statuses(submissions)


def _outbox_url() -> str | None:
    return reverse("reporting:forwarding:outbox") if apps.is_installed("vhttdl.reporting.forwarding") else None


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version")
    return int(raw) if raw and raw.isdigit() else None


@login_required
def index(request):
    """The reporting home: what to do now, and where everything is."""
    if not (permissions.view_paths(request.user) or permissions.is_superuser(request.user)):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    cards = selectors.home_cards(actor=request.user)
    forms = selectors.form_list(actor=request.user, active_only=True)
    return render(
        request,
        "reporting/index.html",
        {
            "cards": cards,
            "forms": forms,
            "can_design": permissions.can_design(request.user),
        },
    )


@login_required
def my_reports(request):
    rows = selectors.my_reports(actor=request.user)
    return render(
        request, "reporting/my_reports.html", {"rows": rows, "badges": STATUS_BADGE, "today": timezone.localdate()}
    )


@login_required
def inbox(request):
    approve = selectors.submission_list(actor=request.user, action=ReportingAction.APPROVE).order_by(
        "deadline", *selectors.UNIT_ORDER
    )[:200]
    accept = selectors.submission_list(actor=request.user, action=ReportingAction.ACCEPT).order_by(
        "deadline", *selectors.UNIT_ORDER
    )[:200]
    return render(request, "reporting/inbox.html", {"approve": approve, "accept": accept, "badges": STATUS_BADGE})


@login_required
def submission_list(request):
    if not (permissions.view_paths(request.user) or permissions.is_superuser(request.user)):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    form_code = request.GET.get("form") or None
    period_code = (request.GET.get("period") or "").strip() or None
    status = request.GET.get("status") or None
    q = (request.GET.get("q") or "").strip()
    qs = selectors.submission_search(
        actor=request.user,
        form=form_code,
        period=period_code,
        status=status,
        late=request.GET.get("late") == "1",
        overdue=request.GET.get("overdue") == "1",
        q=q,
        today=timezone.localdate(),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    forwarding = _forwarding(page.object_list)
    ministry = selectors.ministry_unit() if page.object_list else None
    for submission in page.object_list:
        submission.forwarding = forwarding.get(submission.pk)
        submission.next_step = selectors.next_step(
            submission, language=get_language(), people=False, ministry=ministry
        )
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    context = {
        "page_obj": page,
        "query": query,
        "forms": ReportForm.objects.order_by("code"),
        "period_options": period_options(selectors.report_periods(keep=period_code or ""), period_code or ""),
        "statuses": Submission.Status.choices,
        "badges": STATUS_BADGE,
        "filters": {
            "form": form_code or "",
            "period": period_code or "",
            "status": status or "",
            "q": q,
            "late": request.GET.get("late") == "1",
            "overdue": request.GET.get("overdue") == "1",
        },
    }
    template = "reporting/_submission_rows.html" if request.htmx else "reporting/submissions.html"
    return render(request, template, context)


@login_required
@require_POST
def open_report(request):
    """Create (or find) the draft of a unit for a form and period, then go to its grid."""
    try:
        form = ReportForm.objects.get(code=request.POST.get("form", ""))
        organisation = Organisation.objects.get(pk=int(request.POST.get("organisation", "0")))
    except (ReportForm.DoesNotExist, Organisation.DoesNotExist, ValueError, OverflowError):
        raise Http404(_("Không tìm thấy biểu mẫu hoặc đơn vị.")) from None
    if not permissions.can_enter_for(request.user, organisation):  # before looking for an existing report
        raise PermissionDenied(_("Chỉ đơn vị %(unit)s được lập báo cáo của chính mình.") % {"unit": organisation.name})
    try:
        period = period_for_code(request.POST.get("period", ""))
        submission = submission_open(actor=request.user, form=form, organisation=organisation, period=period)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:my_reports")
    return redirect("reporting:submission", pk=submission.pk)


@login_required
def submission_detail(request, pk: int):
    submission = selectors.get_submission_for_actor(request.user, pk)
    actions = permissions.allowed_actions(request.user, submission)
    values = selectors.submission_cells(submission)
    failures = rule_failures(submission, values=values, rules=cached_validation_rules(submission.form))
    context = {
        "submission": submission,
        "sections": build_grid(submission.form_version, values, editable=actions["enter"]),
        "actions": actions,
        "editable": actions["enter"],
        "failures": failures,
        "period_label": period_label(submission.period),
        "events": selectors.submission_events(submission),
        "next_step": selectors.next_step(submission, language=get_language()),
        "badges": STATUS_BADGE,
        "waiting_children": children_not_approved(submission) if actions["approve"] or actions["accept"] else [],
        "language": get_language(),
        "today_date": timezone.localdate(),
        "forwarding": _forwarding([submission]).get(submission.pk),
        "outbox_url": _outbox_url(),
        "nav": report_tab(
            requested=request.GET.get("from"),
            actions=actions,
            own_unit=permissions.can_enter_for(request.user, submission.organisation),
        ),
    }
    return render(request, "reporting/submission.html", context)


def _cells_from_post(request: HttpRequest) -> tuple[list[CellInput], int | None]:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
            cells = [
                CellInput(str(c["element"]), str(c["combo"]), c.get("value"), c.get("comment"))
                for c in body.get("cells", [])
            ]
            version = body.get("version")
            if isinstance(version, bool) or not isinstance(version, int | str | None):
                raise ValueError(version)
            return cells, int(version) if version is not None else None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InvalidInput(_("Dữ liệu gửi lên không hợp lệ."), code="invalid_body") from None
    cells = []
    for key, value in request.POST.items():
        if key.startswith("v:"):
            _prefix, element, combo = key.split(":", 2)
            comment = request.POST.get(f"c:{element}:{combo}")
            cells.append(CellInput(element, combo, value, comment))
    return cells, _version(request)


def _error_json(exc: DomainError) -> JsonResponse:
    return JsonResponse({"code": exc.code, "message": exc.message, "details": exc.details}, status=exc.status)


@login_required
@require_POST
def submission_save(request, pk: int):
    """Autosave (JSON, from the grid's script) or a plain form post (no script)."""
    wants_json = request.content_type == "application/json"
    submission = selectors.get_submission_for_actor(request.user, pk)
    try:
        cells, version = _cells_from_post(request)
        if version is None:  # every write names the version it read (the grid sends it)
            raise version_required()
        cells = reader_cells(cells, submission.form_version, get_language())
        result = submission_values_save(
            actor=request.user, submission=submission, cells=cells, version=version, strict=False
        )
    except PermissionDenied as exc:
        if wants_json:
            return JsonResponse({"code": "forbidden", "message": str(exc)}, status=403)
        raise
    except DomainError as exc:
        if wants_json:
            return _error_json(exc)
        messages.error(request, exc.message)
        if isinstance(exc, Conflict) and exc.details and exc.details.get("changed"):
            for cell in exc.details["changed"]:
                messages.warning(request, _("Ô %(element)s/%(combo)s: %(by)s đã sửa thành «%(new)s».") % cell)
        return redirect("reporting:submission", pk=pk)
    saved_at = date_format(timezone.localtime(), "H:i:s")
    failures = rule_failures(result.submission)
    language = get_language()
    if wants_json:
        return JsonResponse(
            {
                "version": result.submission.version,
                "saved": result.saved,
                "deleted": result.deleted,
                "saved_at": saved_at,
                "errors": [e.as_dict() for e in result.errors],
                "rules": [
                    {"code": f.rule.code, "importance": f.rule.importance, "message": f.message(language)}
                    for f in failures
                ],
            }
        )
    if result.errors:
        for error in result.errors:
            messages.error(request, f"{error.element}/{error.combo}: {error.message}")
    else:
        messages.success(request, _("Đã lưu lúc %(time)s.") % {"time": saved_at})
    return redirect("reporting:submission", pk=pk)


def _workflow(request: HttpRequest, pk: int, action: str, step) -> HttpResponse:
    """GET: the confirmation page of `action` (what it does, what comes next). POST: take the step."""
    submission = selectors.get_submission_for_actor(request.user, pk)
    if request.method != "POST":
        if not permissions.allowed_actions(request.user, submission)[action]:
            messages.error(request, _("Báo cáo này hiện không có thao tác đó cho bạn."))
            return redirect("reporting:submission", pk=pk)
        context = confirmation(submission=submission, action=action, language=get_language())
        return render(request, "reporting/confirm.html", {"submission": submission, "confirm": context})
    try:
        outcome = step(submission)
    except DomainError as exc:
        messages.error(request, exc.message)
        for rule in (exc.details or {}).get("rules", []) if isinstance(exc.details, dict) else []:
            messages.warning(request, rule["message"])
        return redirect("reporting:submission", pk=pk)
    return outcome or redirect("reporting:submission", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_submit_view(request, pk: int):
    def step(submission):
        warnings = submission_submit(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Đã nộp báo cáo."))
        for warning in warnings:
            messages.warning(request, warning.message(get_language()))

    return _workflow(request, pk, "submit", step)


@login_required
@require_http_methods(["GET", "POST"])
def submission_approve_view(request, pk: int):
    def step(submission):
        submission_approve(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Đã duyệt báo cáo."))

    return _workflow(request, pk, "approve", step)


@login_required
@require_http_methods(["GET", "POST"])
def submission_accept_view(request, pk: int):
    def step(submission):
        submission_accept(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Bộ đã tiếp nhận báo cáo."))

    return _workflow(request, pk, "accept", step)


@login_required
@require_http_methods(["GET", "POST"])
def submission_return_view(request, pk: int):
    def step(submission):
        submission_return(
            actor=request.user, submission=submission, reason=request.POST.get("reason", ""), version=_version(request)
        )
        messages.success(request, _("Đã trả lại báo cáo."))

    return _workflow(request, pk, "return", step)
