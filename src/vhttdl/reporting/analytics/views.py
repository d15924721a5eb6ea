"""The pivot page at /reporting/analytics/: indicators × periods × units, table, chart, Excel export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import DomainError
from vhttdl.reporting import permissions
from vhttdl.reporting.analytics.presenters import (
    GRAINS,
    LEVELS,
    build_pivot,
    element_options,
    pivot_params,
    pivot_xlsx,
)
from vhttdl.reporting.analytics.selectors import (
    AS_REPORTED,
    TODAY,
    disaggregation_choices,
    parent_choices,
    period_choices,
)
from vhttdl.reporting.models import DataElement, PeriodType
from vhttdl.reporting.pickers import period_options


@login_required
def pivot(request: HttpRequest) -> HttpResponse:
    if permissions.view_paths(request.user) == []:
        raise PermissionDenied(_("Bạn không có quyền xem số liệu báo cáo."))
    params = pivot_params(request.GET)
    all_elements = list(DataElement.objects.exclude(
        value_type__in=[DataElement.ValueType.TEXT]).order_by("code"))
    by_code = {e.code: e for e in all_elements}
    chosen = [by_code[c] for c in params["de"] if c in by_code] or all_elements[:1]
    params["de"] = [e.code for e in chosen]
    result, error = None, None
    if chosen:
        try:
            result = build_pivot(request.user, params, chosen)
        except DomainError as exc:
            error = exc.message
        except PermissionDenied as exc:
            error = str(exc)
    if result is not None and request.GET.get("export") == "xlsx":
        response = HttpResponse(
            pivot_xlsx(result), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="tong-hop-{date.today():%Y%m%d}.xlsx"'
        return response
    context: dict[str, Any] = {"params": params, "result": result, "error": error, "query": request.GET.urlencode()}
    if request.htmx:  # the form stays on the page: only the result is sent
        return render(request, "analytics/_result.html", context)
    period_groups = period_choices(keep=(params["start"], params["end"]))
    context.update({
        "levels": LEVELS,
        "grains": [(g, PeriodType(g).label) for g in GRAINS],
        "histories": [(TODAY, _("Theo đơn vị hiện nay")), (AS_REPORTED, _("Theo đơn vị đã báo cáo"))],
        "disaggregations": disaggregation_choices(get_language()),
        "element_options": element_options(all_elements, params["de"], get_language()),
        "start_options": period_options(period_groups, params["start"]),
        "end_options": period_options(period_groups, params["end"]),
        "parents": parent_choices(actor=request.user),
        "charts": [("bar", _("Biểu đồ cột")), ("line", _("Biểu đồ đường"))],
    })
    return render(request, "analytics/pivot.html", context)
