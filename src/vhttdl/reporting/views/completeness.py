"""Completeness and timeliness pages and exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.errors import DomainError
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import completeness as comp
from vhttdl.reporting import permissions
from vhttdl.reporting.models import ReportForm
from vhttdl.reporting.periods import parse_period, period_containing, periods_for_codes, previous_period_code

DEFAULT_SPAN = {"monthly": 12, "quarterly": 8, "half_yearly": 4, "nine_months": 3, "yearly": 3}


def _report(request):
    if not (permissions.view_paths(request.user) or permissions.is_superuser(request.user)):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    forms = list(ReportForm.objects.filter(is_active=True).exclude(period_type="ad_hoc").order_by("code"))
    code = request.GET.get("form") or (forms[0].code if forms else "")
    form = next((f for f in forms if f.code == code), forms[0] if forms else None)
    error = ""
    codes: list[str] = []
    if form is not None:
        last = request.GET.get("to") or period_containing(form.period_type, timezone.localdate())
        first = request.GET.get("from") or ""
        try:
            last_p = parse_period(last)
            if last_p.period_type != form.period_type:
                raise DomainError(_("Kỳ «%(code)s» không cùng loại kỳ với biểu.") % {"code": last})
            codes = [last_p.code]
            first_code = parse_period(first).code if first else None
            limit = 60 if first_code else DEFAULT_SPAN.get(form.period_type, 12)
            while len(codes) < limit and codes[-1] != first_code:
                codes.append(previous_period_code(codes[-1]))
        except DomainError as exc:
            error = exc.message
            codes = [period_containing(form.period_type, timezone.localdate())]
        codes.reverse()
    under = None
    if request.GET.get("under"):
        under = Organisation.objects.filter(code=request.GET["under"]).first()
    periods = periods_for_codes(codes) if codes else {}
    report = (
        comp.completeness(actor=request.user, form=form, periods=[periods[c] for c in codes], under=under)
        if form
        else None
    )
    return forms, form, report, error, under


@login_required
def completeness_page(request):
    forms, form, report, error, under = _report(request)
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
