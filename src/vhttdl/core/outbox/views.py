"""The outbox page: messages to other systems, filtered by destination and status; one message's
payload, answer and attempts; a button to send it again. Scoped by each destination's owner app."""

from __future__ import annotations

import json

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vhttdl.core.errors import Conflict, DomainError
from vhttdl.core.outbox.models import Message
from vhttdl.core.outbox.selectors import describe, destinations_for, get_message_for_actor, message_list
from vhttdl.core.outbox.services import outbox_retry

PAGE_SIZE = 50
PAYLOAD_SHOWN = 200_000  # characters of a payload shown on the page


def _destinations_or_403(request: HttpRequest):
    found = destinations_for(request.user)
    if not found:
        raise PermissionDenied(_("Bạn không có quyền xem hộp thư đi."))
    return found


@login_required
def message_list_page(request: HttpRequest) -> HttpResponse:
    found = _destinations_or_403(request)
    names = {d.name for d in found}
    destination = request.GET.get("destination", "")
    destination = destination if destination in names else ""
    status = request.GET.get("status", "")
    status = status if status in Message.Status.values else ""
    page = Paginator(message_list(actor=request.user, destination=destination or None, status=status or None),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outbox/list.html", {
        "page_obj": page, "rows": describe(list(page.object_list)),
        "destinations": [(d.name, d.label) for d in found], "destination": destination,
        "statuses": Message.Status.choices, "status": status,
        "query": urlencode({k: v for k, v in (("destination", destination), ("status", status)) if v}),
    })


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = {d.name: d for d in _destinations_or_403(request)}
    message = get_message_for_actor(request.user, pk)
    destination = found[message.destination]
    payload = json.dumps(message.payload, ensure_ascii=False, indent=2)
    return render(request, "outbox/detail.html", {
        "message": message, "row": describe([message])[0],
        "payload": payload[:PAYLOAD_SHOWN], "payload_cut": len(payload) > PAYLOAD_SHOWN,
        "endpoint": destination.endpoint() if destination.endpoint else "",
        "can_retry": message.status != Message.Status.SENT
        and destination.can_retry(actor=request.user, message=message),
    })


@login_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = outbox_retry(actor=request.user, message_id=pk)
    except Conflict as exc:
        flash.info(request, exc.message)
    except DomainError as exc:
        flash.error(request, exc.message)
    else:
        if message is not None and message.status == Message.Status.SENT:
            flash.success(request, _("Đã gửi lại thành công."))
        else:
            flash.warning(request, _("Gửi lại chưa thành công; hệ thống sẽ tự thử lại."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("outbox:detail", pk=pk)
