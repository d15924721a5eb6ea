"""Excel template download and upload: the dry run is a stored batch (core.imports), then confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import DomainError
from vhttdl.reporting import excel, permissions, selectors

TEMPLATE = "reporting/excel_upload.html"


@login_required
def excel_template(request, pk: int):
    submission = selectors.get_submission_for_actor(request.user, pk)
    response = HttpResponse(excel.build_template(submission), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{excel.template_filename(submission)}"'
    return response


@login_required
def excel_upload(request, pk: int):
    """GET: the upload form. POST with a file: the dry-run report. POST confirm: write the checked batch."""
    submission = selectors.get_submission_for_actor(request.user, pk)
    if not permissions.can_enter(request.user, submission):
        raise PermissionDenied(_("Báo cáo đã khóa hoặc bạn không được nhập số liệu của đơn vị này."))
    context = {"submission": submission, "max_mb": excel.MAX_UPLOAD_BYTES // 1024 // 1024, "language": get_language()}
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, submission, context)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Hãy chọn tệp Excel.")
            return render(request, TEMPLATE, context, status=400)
        try:
            batch = excel.upload_check(actor=request.user, submission=submission, upload=upload)
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, TEMPLATE, context, status=exc.status)
        context.update(batch=batch, report=batch.report)
        return render(request, TEMPLATE, context, status=200 if batch.status == batch.Status.CHECKED else 400)
    return render(request, TEMPLATE, context)


def _confirm(request, submission, context):
    try:
        batch = excel.batch_for_actor(request.user, request.POST.get("batch"))
    except Http404:
        messages.error(request, _("Không còn kết quả kiểm tra để ghi; hãy tải tệp lên lại."))
        return redirect("reporting:excel_upload", pk=submission.pk)
    try:
        batch = excel.upload_commit(actor=request.user, submission=submission, batch=batch)
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, TEMPLATE, context, status=exc.status)
    if batch.status != batch.Status.COMMITTED:
        context.update(batch=batch, report=batch.report,
                       error=_("Tệp không còn hợp lệ với số liệu hiện tại; chưa ghi gì."))
        return render(request, TEMPLATE, context, status=400)
    messages.success(
        request,
        _("Đã ghi %(saved)s ô, xóa %(deleted)s ô từ tệp Excel.")
        % {"saved": batch.report.get("saved", 0), "deleted": batch.report.get("deleted", 0)},
    )
    return redirect("reporting:submission", pk=submission.pk)
