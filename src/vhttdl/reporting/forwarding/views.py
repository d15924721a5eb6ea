"""The forwarding page, a retry button, and the HTTP face of the local stand-in receiver."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from vhttdl.core.accounts.policy import can
from vhttdl.core.outbox.models import Message
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.forwarding.destination import endpoint
from vhttdl.reporting.forwarding.selectors import outbox_list, with_submissions
from vhttdl.reporting.forwarding.stand_in import stand_in_receive as receive


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ReportingAction.VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    status = request.GET.get("status", "")
    status = status if status in Message.Status.values else ""
    page = Paginator(outbox_list(actor=request.user, status=status or None), 50).get_page(request.GET.get("page"))
    return render(request, "forwarding/outbox.html", {
        "page_obj": page, "rows": with_submissions(page.object_list), "status": status,
        "statuses": Message.Status.choices, "query": urlencode({"status": status} if status else {}),
        "endpoint": endpoint(), "can_retry": can(request.user, ReportingAction.ACCEPT),
    })


@csrf_exempt
@require_POST
def stand_in_receive(request: HttpRequest) -> HttpResponse:
    """A stand-in for the Government Reporting Information System's receiving endpoint (`stand_in.py`)."""
    answer = receive(body=request.body, key=request.headers.get("Idempotency-Key", ""),
                     authorization=request.headers.get("Authorization", ""))
    return JsonResponse(answer.body, status=answer.status)
