"""Completeness and timeliness pages and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.reporting import completeness as comp
from vhttdl.reporting import permissions
from vhttdl.reporting.pickers import period_options, unit_options


def _report(request):
    if not (permissions.view_paths(request.user) or permissions.is_superuser(request.user)):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    get = request.GET
    # The period pickers list the periods of the form shown; another form picked: its own default range.
    same_form = not get.get("shown") or get.get("shown") == get.get("form")
    choice = comp.completeness_choice(
        form_code=get.get("form") or "", first=get.get("from", "") if same_form else "",
        last=get.get("to", "") if same_form else "",
        under_code=get.get("under") or "", on=timezone.localdate(),
    )
    report = (
        comp.completeness(actor=request.user, form=choice.form, periods=choice.periods, under=choice.under)
        if choice.form
        else None
    )
    return choice.forms, choice.form, report, choice.error, choice.under


def _pickers(request, form, report, under) -> dict[str, str]:
    """The from/to period and unit pickers' options, the range and unit shown selected."""
    shown = tuple(p.code for p in report.periods) if report else ()
    groups = comp.period_picker(form, on=timezone.localdate(), keep=shown) if report else []
    first, last = (report.periods[0].code, report.periods[-1].code) if report and report.periods else ("", "")
    return {
        "from_options": period_options(groups, first),
        "to_options": period_options(groups, last),
        "unit_options": unit_options(comp.unit_choices(request.user), under, get_language()),
    }


@login_required
def completeness_page(request):
    forms, form, report, error, under = _report(request)
    if report is not None:
        comp.write_cells(report)
    return render(
        request,
        "reporting/completeness.html",
        {
            "forms": forms,
            "form": form,
            "report": report,
            "error": error,
            "under": under,
            "query": request.GET.urlencode(),
            "counts": comp.group_counts(report) if report else {},
            **_pickers(request, form, report, under),
        },
    )


@login_required
def completeness_export(request, fmt: str):
    _forms, form, report, _error, _under = _report(request)
    if report is None:
        raise PermissionDenied(_("Chưa có biểu mẫu nào."))
    name = f"tinh-hinh-nop_{form.code.replace('/', '-')}"
    if fmt == "csv":
        response = HttpResponse(comp.export_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        comp.export_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
