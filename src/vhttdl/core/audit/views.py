"""Browsing the audit log by object and by person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from vhttdl.core.accounts.models import User
from vhttdl.core.accounts.policy import can
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit.selectors import audit_list


@login_required
def entries(request):
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem nhật ký thay đổi."))
    filters = {k: request.GET.get(k, "").strip() for k in ("object_type", "object_id", "username", "action")}
    actor_id = None
    if filters["username"]:
        actor_id = User.objects.filter(username=filters["username"]).values_list("pk", flat=True).first() or -1
    qs = audit_list(actor=request.user, object_type=filters["object_type"] or None,
                    object_id=filters["object_id"] or None, actor_id=actor_id, action=filters["action"] or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    template = "audit/_entries_page.html" if request.htmx else "audit/list.html"
    return render(request, template, {"page_obj": page, "filters": filters, "query": query})
