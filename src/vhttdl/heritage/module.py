"""What the heritage database and its public portal add to the platform."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vhttdl.core.accounts.roles import Role
from vhttdl.core.modules import HomeCard, Module, NavEntry, SearchKind
from vhttdl.heritage.actions import HeritageAction as A


def home_cards(*, actor: Any) -> list[HomeCard]:
    from vhttdl.heritage.selectors import home_cards as heritage_home_cards

    return heritage_home_cards(actor=actor)


def search_documents() -> Iterator[dict[str, Any]]:
    from vhttdl.heritage.services import search_documents as heritage_documents

    return heritage_documents()


def _audit_actions() -> dict[str, Any]:
    """`heritage.<kind>.<verb>` (services write f"{kind}.{action}"): every kind × verb, named."""
    from django.utils.text import format_lazy

    kinds = {
        "heritage.site": pgettext_lazy("audit kind", "di tích"),
        "heritage.intangible": pgettext_lazy("audit kind", "di sản phi vật thể"),
        "heritage.festival": pgettext_lazy("audit kind", "lễ hội"),
    }
    verbs = {
        "created": pgettext_lazy("audit action", "Thêm hồ sơ"),
        "updated": pgettext_lazy("audit action", "Sửa hồ sơ"),
        "translated": pgettext_lazy("audit action", "Sửa bản dịch hồ sơ"),
        "published": pgettext_lazy("audit action", "Công bố hồ sơ"),
        "unpublished": pgettext_lazy("audit action", "Gỡ công bố hồ sơ"),
        "deleted": pgettext_lazy("audit action", "Xóa hồ sơ"),
        "media_added": pgettext_lazy("audit action", "Thêm ảnh, tư liệu vào hồ sơ"),
        "media_removed": pgettext_lazy("audit action", "Gỡ ảnh, tư liệu khỏi hồ sơ"),
        "decision_added": pgettext_lazy("audit action", "Thêm quyết định xếp hạng vào hồ sơ"),
        "decision_removed": pgettext_lazy("audit action", "Gỡ quyết định xếp hạng khỏi hồ sơ"),
        "inscription_added": pgettext_lazy("audit action", "Thêm ghi danh vào hồ sơ"),
        "imported": pgettext_lazy("audit action", "Nhập hồ sơ từ tệp"),
        "import_checked": pgettext_lazy("audit action", "Kiểm tra tệp nhập hồ sơ"),
    }
    pattern = pgettext_lazy("audit action", "{verb} {kind}")
    return {f"{kind}.{verb}": format_lazy(pattern, verb=verb_label, kind=kind_label)
            for kind, kind_label in kinds.items() for verb, verb_label in verbs.items()}


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
    audit_actions=_audit_actions(),
)
