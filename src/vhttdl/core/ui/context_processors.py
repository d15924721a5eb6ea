"""What every page's shell needs: the navigation this person may use and the unit they work in."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from vhttdl.core.accounts.policy import can, held_grants
from vhttdl.core.modules import registry
from vhttdl.core.modules.types import STAFF


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_unit_name": ""}
    section = request.path.strip("/").split("/")[0]
    items = []
    for item in registry.navigation():
        if item.action == STAFF:
            visible = user.is_staff
        else:
            visible = item.action is None or can(user, item.action)
        if visible:
            items.append({"label": item.label, "url": reverse(item.url_name),
                          "current": item.section == section})
    grants = held_grants(user)
    unit_name = ""
    if grants:
        english = (translation.get_language() or "").startswith("en")
        unit_name = (english and grants[0].organisation_name_en) or grants[0].organisation_name
    return {"nav_items": items, "current_unit_name": unit_name}
