"""The forwarding page, a retry button, and the HTTP face of the local stand-in receiver."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from vhttdl.core.accounts.policy import can
from vhttdl.core.errors import Conflict, DomainError
from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.services import outbox_retry
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


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = outbox_retry(actor=request.user, message_id=pk)
    except Conflict as exc:  # e.g. already sent: a second click
        messages.info(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if message is not None and message.status == Message.Status.SENT:
            messages.success(request, _("Đã gửi lại thành công."))
        else:
            messages.warning(request, _("Gửi lại chưa thành công; hệ thống sẽ tự thử lại."))
    return redirect("reporting:forwarding:outbox")


@csrf_exempt
@require_POST
def stand_in_receive(request: HttpRequest) -> HttpResponse:
    """A stand-in for the Government Reporting Information System's receiving endpoint (`stand_in.py`)."""
    answer = receive(body=request.body, key=request.headers.get("Idempotency-Key", ""),
                     authorization=request.headers.get("Authorization", ""))
    return JsonResponse(answer.body, status=answer.status)
