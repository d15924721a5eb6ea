"""Browsing the audit log: pickers for person, unit, action and dates, a page at a time, and exports."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can, organisations_for
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit import presenters
from vhttdl.core.audit.selectors import audit_list, audit_people
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.selectors import tree_order

PAGE_SIZE = 25
MAX_EXPORT = 10_000  # rows in one export; narrow the filters for more
FILTERS = ("person", "unit", "action", "since", "until", "object_type", "object_id")


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _entries(request):
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem nhật ký thay đổi."))
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    unit = Organisation.objects.filter(code=filters["unit"]).first() if filters["unit"] else None
    qs = audit_list(
        actor=request.user, object_type=filters["object_type"] or None, object_id=filters["object_id"] or None,
        actor_id=int(filters["person"]) if filters["person"].isdigit() else None, action=filters["action"] or None,
        unit_path=unit.path if unit else None, since=_date(filters["since"]), until=_date(filters["until"]),
    )
    return filters, qs


@login_required
def entries(request):
    filters, qs = _entries(request)
    page = Paginator(qs.select_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = presenters.present(page.object_list)
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {"page_obj": page, "filters": filters, "query": query}
    if request.htmx:
        return render(request, "audit/_entries_page.html", context)
    context.update(
        people=audit_people(actor=request.user),
        units=tree_order(organisations_for(request.user, Action.AUDIT_VIEW).filter(valid_to__isnull=True)),
        actions=presenters.action_choices(),
    )
    return render(request, "audit/list.html", context)


@login_required
def export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _filters, qs = _entries(request)
    header, rows = presenters.export_rows(qs[:MAX_EXPORT])
    name = f"nhat-ky-{date.today():%Y%m%d}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        book = Workbook()
        sheet = book.active
        sheet.title = _("Nhật ký")[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for width, column in zip((8, 18, 20, 32, 28, 36, 22, 60, 16), "ABCDEFGHI", strict=True):
            sheet.column_dimensions[column].width = width
        for cell in sheet["H"][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
