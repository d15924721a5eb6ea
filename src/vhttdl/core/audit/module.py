"""The change log: its action, navigation entry and API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.roles import Action, Role
from vhttdl.core.modules import Module, NavEntry

MODULE = Module(
    label="audit",
    actions={Action.AUDIT_VIEW: _("Xem nhật ký thay đổi")},
    role_actions={
        Role.MINISTRY_LEADER: frozenset({Action.AUDIT_VIEW}),
        Role.DEPARTMENT_LEADER: frozenset({Action.AUDIT_VIEW}),
    },
    navigation=(NavEntry(_("Nhật ký"), "audit:list", Action.AUDIT_VIEW, "audit", order=800),),
    api_routers=(("/audit", "vhttdl.core.audit.api.router"),),
)
