"""The forwarding status page, a retry button, and the local stand-in of the national receiver."""

from __future__ import annotations

import json

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
from vhttdl.core.errors import DomainError
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.forwarding.connector import connector_config
from vhttdl.reporting.forwarding.models import OutboxMessage
from vhttdl.reporting.forwarding.selectors import outbox_list
from vhttdl.reporting.forwarding.services import outbox_retry, stand_in_record


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not can(request.user, ReportingAction.VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    status = request.GET.get("status", "")
    page = Paginator(outbox_list(actor=request.user, status=status or None), 50).get_page(request.GET.get("page"))
    config = connector_config()
    return render(request, "forwarding/outbox.html", {
        "page_obj": page, "status": status, "statuses": OutboxMessage.Status.choices,
        "query": urlencode({"status": status} if status else {}),
        "endpoint": _("Máy nhận thử nội bộ") if config.is_local else config.url,
        "can_retry": can(request.user, ReportingAction.ACCEPT),
    })


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = outbox_retry(actor=request.user, message_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if message is not None and message.status == OutboxMessage.Status.SENT:
            messages.success(request, _("Đã gửi lại thành công."))
        else:
            messages.warning(request, _("Gửi lại chưa thành công; hệ thống sẽ tự thử lại."))
    return redirect("reporting:forwarding:outbox")


@csrf_exempt
@require_POST
def stand_in_receive(request: HttpRequest) -> HttpResponse:
    """A stand-in for the Government Reporting Information System's receiving endpoint.

    Records each report once per `Idempotency-Key`; answers 503 when told to fail
    (setting NATIONAL_REPORTING_STANDIN_FAIL), 401 when the token does not match.
    """
    from django.conf import settings

    if getattr(settings, "NATIONAL_REPORTING_STANDIN_FAIL", False):
        return JsonResponse({"error": "unavailable"}, status=503)
    token = connector_config().token
    if token and request.headers.get("Authorization", "") != f"Bearer {token}":
        return JsonResponse({"error": "unauthorised"}, status=401)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return JsonResponse({"error": "Idempotency-Key header required"}, status=400)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"error": "body must be JSON"}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("dataValues"), list):
        return JsonResponse({"error": "dataValues missing"}, status=400)
    receipt, created = stand_in_record(key=key, payload=payload)
    return JsonResponse({"status": "received" if created else "duplicate", "receipt": receipt.pk},
                        status=201 if created else 200)
