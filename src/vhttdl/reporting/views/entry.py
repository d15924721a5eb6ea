"""Pages where units fill reports and superiors approve them: lists, the entry grid, workflow buttons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

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
from django.views.decorators.http import require_POST

from vhttdl.core.errors import Conflict, DomainError, InvalidInput, version_required
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.models import ReportForm, Submission
from vhttdl.reporting.periods import period_for_code, period_label
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
        "deadline", "organisation__path"
    )[:200]
    accept = selectors.submission_list(actor=request.user, action=ReportingAction.ACCEPT).order_by(
        "deadline", "organisation__path"
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
    qs = selectors.submission_list(
        actor=request.user,
        form=form_code,
        period=period_code,
        status=status if status in Submission.Status.values else None,
    )
    if request.GET.get("late") == "1":
        qs = qs.filter(is_late=True)
    if request.GET.get("overdue") == "1":
        qs = qs.filter(status__in=permissions.ENTRY_STATUSES, deadline__lt=timezone.localdate())
    if q:
        qs = qs.filter(organisation__name__icontains=q) | qs.filter(organisation__code__iexact=q)
    qs = qs.order_by("-period__start_date", "form__code", "organisation__path")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    forwarding = _forwarding(page.object_list)
    for submission in page.object_list:
        submission.forwarding = forwarding.get(submission.pk)
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    context = {
        "page_obj": page,
        "query": query,
        "forms": ReportForm.objects.order_by("code"),
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


# --- the grid -----------------------------------------------------------------------------------


@dataclass
class GridCell:
    element: str
    combo: str
    label: str
    value: str = ""
    comment: str = ""
    input_id: str = ""
    r: str = ""  # option of the first category (matrix rows)
    c: str = ""  # option of the second category (matrix rows)


@dataclass
class GridRow:
    code: str
    label: str
    unit: str
    value_type: str
    numeric: bool
    show_total: bool
    cells: list[GridCell] = field(default_factory=list)
    header: list[str] | None = None  # column names, when they differ from the row above
    total: float | None = None
    pad: int = 0
    matrix: dict | None = None  # two categories: sub-rows × columns with row and column totals


def _matrix(row, values: dict, language: str, s_index: int, label: str) -> dict | None:
    """Cross-tab an element disaggregated by two categories, like the paper form: options of the
    first category as sub-rows, of the second as columns, with row, column and grand totals."""
    first, second = row.categories
    by_options: dict[tuple[int, int], object] = {}
    rows_seen, cols_seen = {}, {}
    for coc in row.columns:
        options = {o.category_id: o for o in coc.options.all()}
        if first.pk not in options or second.pk not in options:
            return None
        a, b = options[first.pk], options[second.pk]
        by_options[(a.pk, b.pk)] = coc
        rows_seen.setdefault(a.pk, a)
        cols_seen.setdefault(b.pk, b)
    element = row.element
    col_totals = {b: 0.0 for b in cols_seen}
    sub_rows = []
    for a in rows_seen.values():
        cells, total = [], 0.0
        for b in cols_seen.values():
            coc = by_options.get((a.pk, b.pk))
            if coc is None:
                cells.append(None)
                continue
            stored = values.get((element.code, coc.code))
            cells.append(
                GridCell(
                    element=element.code,
                    combo=coc.code,
                    label=f"{label} – {coc.label(language)}",
                    value=stored.value if stored else "",
                    comment=stored.comment if stored else "",
                    input_id=f"c-{s_index}-{element.code}-{coc.code}",
                    r=a.code,
                    c=b.code,
                )
            )
            if stored and stored.numeric_value is not None:
                total += stored.numeric_value
                col_totals[b.pk] += stored.numeric_value
        sub_rows.append({"key": a.code, "label": f"{label} – {a.label(language)}", "cells": cells, "total": total})
    return {
        "col_labels": [b.label(language) for b in cols_seen.values()],
        "sub_rows": sub_rows,
        "col_totals": [{"key": b.code, "value": col_totals[b.pk]} for b in cols_seen.values()],
        "grand_total": sum(col_totals.values()),
        "total_label": f"{label} – {_('Tổng cộng')}",
    }


def build_grid(version, values: dict) -> list[dict]:
    """Sections of rows of cells for a form version, filled with `values` ({(element, combo): DataValue})."""
    language = get_language()
    layout = selectors.form_layout(version)
    sections = []
    for s_index, section in enumerate(layout.sections):
        rows: list[GridRow] = []
        previous: list[str] | None = None
        built = []
        for row in section.rows:
            element = row.element
            label = row.title(language)
            matrix = None
            if len(row.categories) == 2 and element.is_numeric:
                matrix = _matrix(row, values, language, s_index, label)
            built.append((row, matrix))
        width = max((len(m["col_labels"]) if m else len(r.columns) for r, m in built), default=1)
        for row, matrix in built:
            element = row.element
            numeric = element.is_numeric
            columns = matrix["col_labels"] if matrix else [c.label(language) for c in row.columns]
            grid_row = GridRow(
                code=element.code,
                label=row.title(language),
                unit=(
                    element.unit_of_measure_en
                    if language == "en" and element.unit_of_measure_en
                    else element.unit_of_measure
                ),
                value_type=element.value_type,
                numeric=numeric,
                show_total=numeric and element.aggregation == "sum" and (len(row.columns) > 1 or bool(matrix)),
                header=columns if (columns != previous or matrix) else None,
                pad=width - len(columns),
                matrix=matrix,
            )
            previous = None if matrix else columns
            if matrix:
                rows.append(grid_row)
                continue
            total = 0.0
            for coc in row.columns:
                stored = values.get((element.code, coc.code))
                grid_row.cells.append(
                    GridCell(
                        element=element.code,
                        combo=coc.code,
                        label=f"{grid_row.label} – {coc.label(language)}",
                        value=stored.value if stored else "",
                        comment=stored.comment if stored else "",
                        input_id=f"c-{s_index}-{element.code}-{coc.code}",
                    )
                )
                if stored and stored.numeric_value is not None:
                    total += stored.numeric_value
            grid_row.total = total if grid_row.show_total else None
            rows.append(grid_row)
        sections.append({"title": section.heading(language), "rows": rows, "width": width})
    return sections


@login_required
def submission_detail(request, pk: int):
    submission = selectors.get_submission_for_actor(request.user, pk)
    actions = permissions.allowed_actions(request.user, submission)
    failures = rule_failures(submission)
    context = {
        "submission": submission,
        "sections": build_grid(submission.form_version, selectors.submission_values(submission)),
        "actions": actions,
        "editable": actions["enter"],
        "failures": failures,
        "period_label": period_label(submission.period),
        "events": selectors.submission_events(submission),
        "badges": STATUS_BADGE,
        "waiting_children": children_not_approved(submission) if actions["approve"] or actions["accept"] else [],
        "language": get_language(),
        "today_date": timezone.localdate(),
        "forwarding": _forwarding([submission]).get(submission.pk),
        "outbox_url": _outbox_url(),
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


def _workflow(request: HttpRequest, pk: int, step) -> HttpResponse:
    submission = selectors.get_submission_for_actor(request.user, pk)
    try:
        outcome = step(submission)
    except DomainError as exc:
        messages.error(request, exc.message)
        for rule in (exc.details or {}).get("rules", []) if isinstance(exc.details, dict) else []:
            messages.warning(request, rule["message"])
        return redirect("reporting:submission", pk=pk)
    return outcome or redirect("reporting:submission", pk=pk)


@login_required
@require_POST
def submission_submit_view(request, pk: int):
    def step(submission):
        warnings = submission_submit(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Đã nộp báo cáo."))
        for warning in warnings:
            messages.warning(request, warning.message(get_language()))

    return _workflow(request, pk, step)


@login_required
@require_POST
def submission_approve_view(request, pk: int):
    def step(submission):
        submission_approve(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Đã duyệt báo cáo."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def submission_accept_view(request, pk: int):
    def step(submission):
        submission_accept(actor=request.user, submission=submission, version=_version(request))
        messages.success(request, _("Bộ đã tiếp nhận báo cáo."))

    return _workflow(request, pk, step)


@login_required
@require_POST
def submission_return_view(request, pk: int):
    def step(submission):
        submission_return(
            actor=request.user, submission=submission, reason=request.POST.get("reason", ""), version=_version(request)
        )
        messages.success(request, _("Đã trả lại báo cáo."))

    return _workflow(request, pk, step)
