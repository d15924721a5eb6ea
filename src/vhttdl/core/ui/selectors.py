"""What the home page shows a person: their unit, their grants, and the cards every module adds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vhttdl.core.accounts.selectors import grants_of
from vhttdl.core.modules import HomeCard, registry
from vhttdl.core.units.models import Organisation


@dataclass
class HomeSummary:
    grants: list = field(default_factory=list)
    primary_unit: Organisation | None = None
    cards: list[HomeCard] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


def home_summary(*, actor: Any) -> HomeSummary:
    grants = list(grants_of(actor))
    return HomeSummary(
        grants=grants,
        roles={g.role for g in grants},
        primary_unit=grants[0].organisation if grants else None,
        cards=registry.home_cards(actor=actor),
    )
