"""What the reporting information system adds to the platform."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.roles import Role
from vhttdl.core.modules import HomeCard, Module, NavEntry
from vhttdl.reporting.actions import ReportingAction as A


def home_cards(*, actor: Any) -> list[HomeCard]:
    from vhttdl.reporting.selectors import home_cards as reporting_home_cards

    return reporting_home_cards(actor=actor)


MODULE = Module(
    label="reporting",
    actions={
        A.VIEW: _("Xem báo cáo"),
        A.ENTER: _("Nhập và nộp báo cáo"),
        A.APPROVE: _("Duyệt báo cáo"),
        A.ACCEPT: _("Tiếp nhận báo cáo"),
        A.DESIGN: _("Thiết kế biểu mẫu báo cáo"),
    },
    role_actions={
        Role.MINISTRY_LEADER: frozenset({A.VIEW, A.APPROVE, A.ACCEPT}),
        Role.MINISTRY_OFFICER: frozenset({A.VIEW, A.ENTER, A.DESIGN, A.ACCEPT}),
        Role.DEPARTMENT_LEADER: frozenset({A.VIEW, A.ENTER, A.APPROVE}),
        Role.DEPARTMENT_OFFICER: frozenset({A.VIEW, A.ENTER}),
        Role.UNIT_STAFF: frozenset({A.VIEW, A.ENTER}),
    },
    navigation=(NavEntry(_("Báo cáo"), "reporting:index", A.VIEW, "reporting", order=30),),
    home_cards=(home_cards,),
    api_routers=(
        ("/reporting", "vhttdl.reporting.api.router"),
        # DHIS2-compatible paths live at the API root: /api/v1/dataValueSets.
        ("/", "vhttdl.reporting.exchange.api.router"),
    ),
)
