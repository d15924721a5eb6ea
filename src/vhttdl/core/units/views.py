"""The organisation tree and a unit's page (with its history and changes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from vhttdl.core.accounts.policy import can
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit.presenters import present
from vhttdl.core.audit.selectors import audit_list
from vhttdl.core.units import selectors


@login_required
def tree(request):
    include_closed = request.GET.get("closed") == "1"
    q = request.GET.get("q", "").strip()
    rows = selectors.organisation_tree_rows(actor=request.user, include_closed=include_closed, q=q)
    template = "units/_tree_rows.html" if request.htmx else "units/tree.html"
    return render(request, template, {"rows": rows, "include_closed": include_closed, "q": q})


@login_required
def detail(request, code: str):
    organisation = selectors.get_organisation_for_actor(request.user, code)
    children = selectors.organisation_list(actor=request.user, parent=organisation, include_closed=True)
    changes = present(
        audit_list(actor=request.user, object_type="units.organisation", object_id=str(organisation.pk))[:20]
    )
    return render(request, "units/detail.html", {
        "organisation": organisation, "children": children, "changes": changes,
        "predecessors": organisation.predecessors.all(), "successors": organisation.successors.all(),
        "can_manage": can(request.user, Action.UNITS_MANAGE, organisation),
    })
