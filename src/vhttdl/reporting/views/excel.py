"""Excel template download and upload (dry run, then confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import DomainError
from vhttdl.reporting import excel, permissions, selectors
from vhttdl.reporting.services import CellInput, submission_values_save

SESSION_KEY = "reporting_upload"


@login_required
def excel_template(request, pk: int):
    submission = selectors.get_submission_for_actor(request.user, pk)
    response = HttpResponse(excel.build_template(submission), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{excel.template_filename(submission)}"'
    return response


@login_required
def excel_upload(request, pk: int):
    """GET: the upload form. POST with a file: the dry-run report. POST confirm: commit what was checked."""
    submission = selectors.get_submission_for_actor(request.user, pk)
    if not permissions.can_enter(request.user, submission):
        raise PermissionDenied(_("Báo cáo đã khóa hoặc bạn không được nhập số liệu của đơn vị này."))
    context = {"submission": submission, "max_mb": excel.MAX_UPLOAD_BYTES // 1024 // 1024, "language": get_language()}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(SESSION_KEY) or {}
        if pending.get("submission") != submission.pk:
            messages.error(request, _("Không còn kết quả kiểm tra để ghi; hãy tải tệp lên lại."))
            return redirect("reporting:excel_upload", pk=pk)
        cells = [CellInput(c["element"], c["combo"], c["value"], c.get("comment")) for c in pending["cells"]]
        try:
            result = submission_values_save(
                actor=request.user, submission=submission, cells=cells, version=pending["version"], strict=True
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("reporting:excel_upload", pk=pk)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            _("Đã ghi %(saved)s ô, xóa %(deleted)s ô từ tệp Excel.")
            % {"saved": result.saved, "deleted": result.deleted},
        )
        return redirect("reporting:submission", pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Hãy chọn tệp Excel.")
            return render(request, "reporting/excel_upload.html", context, status=400)
        try:
            report = excel.read_upload(submission, upload)
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "reporting/excel_upload.html", context, status=400)
        context["report"] = report
        if report.is_clean:
            request.session[SESSION_KEY] = {
                "submission": submission.pk,
                "version": submission.version,
                "cells": [
                    {"element": c.element, "combo": c.combo, "value": c.value, "comment": c.comment}
                    for c in report.cells
                ],
            }
        else:
            request.session.pop(SESSION_KEY, None)
        return render(request, "reporting/excel_upload.html", context, status=200 if report.is_clean else 400)
    return render(request, "reporting/excel_upload.html", context)
