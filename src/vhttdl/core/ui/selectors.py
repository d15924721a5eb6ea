"""What the home page shows a person: their unit, their grants, and counts from each module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vhttdl.core.accounts.policy import can, organisations_for
from vhttdl.core.accounts.roles import Action, Role
from vhttdl.core.accounts.selectors import grants_of
from vhttdl.core.units.models import Organisation


@dataclass
class HomeCard:
    title: str
    value: Any
    hint: str = ""
    url: str = ""


@dataclass
class HomeSummary:
    grants: list = field(default_factory=list)
    primary_unit: Organisation | None = None
    cards: list[HomeCard] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


def home_summary(*, actor: Any) -> HomeSummary:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    grants = list(grants_of(actor))
    summary = HomeSummary(grants=grants, roles={g.role for g in grants})
    summary.primary_unit = grants[0].organisation if grants else None
    if can(actor, Action.UNITS_VIEW):
        units = organisations_for(actor, Action.UNITS_VIEW).filter(valid_to__isnull=True)
        summary.cards.append(
            HomeCard(_("Đơn vị trong phạm vi"), units.count(), _("đang hoạt động"), reverse("units:tree"))
        )
    if Role.SYSTEM_ADMIN in summary.roles or actor.is_superuser:
        from vhttdl.core.accounts.models import User

        summary.cards.append(HomeCard(_("Người dùng"), User.objects.filter(is_active=True).count(),
                                      _("tài khoản đang hoạt động"), reverse("accounts:people")))
    # Each module adds its own counts here, by name: summary.cards.extend(<module>.selectors.home_cards(...)).
    from vhttdl.heritage.selectors import home_cards as heritage_home_cards

    summary.cards.extend(heritage_home_cards(actor=actor))
    from vhttdl.reporting.selectors import home_cards as reporting_home_cards

    summary.cards.extend(reporting_home_cards(actor=actor))
    return summary
