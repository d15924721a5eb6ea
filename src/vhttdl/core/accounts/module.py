"""People and grants: their actions, navigation entry, home card and API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vhttdl.core.accounts.roles import Action, Role
from vhttdl.core.modules import HomeCard, Module, NavEntry


def home_cards(*, actor: Any) -> list[HomeCard]:
    from django.urls import reverse
    from django.utils.translation import gettext

    from vhttdl.core.accounts.models import User
    from vhttdl.core.accounts.policy import can

    if not (actor.is_superuser or can(actor, Action.ACCOUNTS_MANAGE)):
        return []
    return [HomeCard(gettext("Người dùng"), User.objects.filter(is_active=True).count(),
                     gettext("tài khoản đang hoạt động"), reverse("accounts:people"))]


_VIEW = frozenset({Action.ACCOUNTS_VIEW})

MODULE = Module(
    label="accounts",
    actions={
        Action.ACCOUNTS_VIEW: _("Xem người dùng"),
        Action.ACCOUNTS_MANAGE: _("Quản lý người dùng và phân quyền"),
    },
    role_actions={
        Role.MINISTRY_LEADER: _VIEW,
        Role.MINISTRY_OFFICER: _VIEW,
        Role.DEPARTMENT_LEADER: _VIEW,
        Role.DEPARTMENT_OFFICER: _VIEW,
    },
    navigation=(NavEntry(_("Người dùng"), "accounts:people", Action.ACCOUNTS_VIEW, "accounts", order=20),),
    home_cards=(home_cards,),
    api_routers=(("/accounts", "vhttdl.core.accounts.api.router"),),
    audit_actions={
        "user.create": pgettext_lazy("audit action", "Tạo tài khoản"),
        "grant.create": pgettext_lazy("audit action", "Phân quyền"),
        "grant.revoke": pgettext_lazy("audit action", "Thu hồi quyền"),
        "api_token.create": pgettext_lazy("audit action", "Tạo khóa truy cập API"),
        "api_token.revoke": pgettext_lazy("audit action", "Thu hồi khóa truy cập API"),
    },
)
