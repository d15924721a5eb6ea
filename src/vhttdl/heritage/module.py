"""What the heritage database and its public portal add to the platform."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.roles import Role
from vhttdl.core.modules import HomeCard, Module, NavEntry, SearchKind
from vhttdl.heritage.actions import HeritageAction as A


def home_cards(*, actor: Any) -> list[HomeCard]:
    from vhttdl.heritage.selectors import home_cards as heritage_home_cards

    return heritage_home_cards(actor=actor)


def search_documents() -> Iterator[dict[str, Any]]:
    from vhttdl.heritage.services import search_documents as heritage_documents

    return heritage_documents()


MODULE = Module(
    label="heritage",
    actions={
        A.VIEW: _("Xem hồ sơ di sản"),
        A.EDIT: _("Nhập và sửa hồ sơ di sản"),
        A.PUBLISH: _("Công bố hồ sơ di sản"),
    },
    role_actions={
        Role.MINISTRY_LEADER: frozenset({A.VIEW, A.PUBLISH}),
        Role.MINISTRY_OFFICER: frozenset({A.VIEW, A.EDIT, A.PUBLISH}),
        Role.DEPARTMENT_LEADER: frozenset({A.VIEW, A.EDIT, A.PUBLISH}),
        Role.DEPARTMENT_OFFICER: frozenset({A.VIEW, A.EDIT}),
        Role.UNIT_STAFF: frozenset({A.VIEW, A.EDIT}),
    },
    navigation=(
        NavEntry(_("Di sản văn hóa"), "heritage:manage_home", A.EDIT, "heritage", order=40),
        NavEntry(_("Bản đồ di sản"), "heritage:portal-map", None, "heritage-map", order=45),
    ),
    home_cards=(home_cards,),
    search_kinds=(
        SearchKind("heritage.site", _("Di tích, danh lam thắng cảnh"), A.VIEW),
        SearchKind("heritage.intangible", _("Di sản văn hóa phi vật thể"), A.VIEW),
        SearchKind("heritage.festival", _("Lễ hội"), A.VIEW),
    ),
    search_providers=(search_documents,),
    api_routers=(("/heritage", "vhttdl.heritage.api.router"),),
)
