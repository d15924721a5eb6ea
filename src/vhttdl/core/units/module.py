"""Units and the organisation tree: their actions, navigation entry, home card and API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vhttdl.core.accounts.roles import STAFF_ROLES, Action
from vhttdl.core.modules import HomeCard, Module, NavEntry


def home_cards(*, actor: Any) -> list[HomeCard]:
    from django.urls import reverse
    from django.utils.translation import gettext

    from vhttdl.core.accounts.policy import can, organisations_for

    if not can(actor, Action.UNITS_VIEW):
        return []
    units = organisations_for(actor, Action.UNITS_VIEW).filter(valid_to__isnull=True)
    return [HomeCard(gettext("Đơn vị trong phạm vi"), units.count(), gettext("đang hoạt động"),
                     reverse("units:tree"))]


MODULE = Module(
    label="units",
    actions={
        Action.UNITS_VIEW: _("Xem đơn vị"),
        Action.UNITS_MANAGE: _("Quản lý đơn vị"),
    },
    role_actions={role: frozenset({Action.UNITS_VIEW}) for role in STAFF_ROLES},
    navigation=(NavEntry(_("Đơn vị"), "units:tree", Action.UNITS_VIEW, "units", order=10),),
    home_cards=(home_cards,),
    api_routers=(("/units", "vhttdl.core.units.api.router"),),
    audit_actions={
        "organisation.create": pgettext_lazy("audit action", "Thêm đơn vị"),
        "organisation.update": pgettext_lazy("audit action", "Sửa thông tin đơn vị"),
        "organisation.move": pgettext_lazy("audit action", "Chuyển đơn vị sang đơn vị cấp trên khác"),
        "organisation.close": pgettext_lazy("audit action", "Giải thể đơn vị"),
    },
)
