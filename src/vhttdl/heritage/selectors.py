"""Reads for the back office, already scoped to what the actor may see.

`<entity>_list(actor=..., filters=...)` returns a queryset limited to records owned by units under
the actor's `heritage.view` (or edit) grants; `get_<entity>_for_actor(actor, pk, action)` raises
Http404 for an unknown id and PermissionDenied (403) for a record of another unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can, scope
from vhttdl.core.errors import DomainError
from vhttdl.core.revisions import selectors as revision_selectors
from vhttdl.core.revisions.models import Revision
from vhttdl.core.search.selectors import search
from vhttdl.heritage.actions import HeritageAction
from vhttdl.heritage.models import (
    Festival,
    IntangibleHeritage,
    Media,
    RecordStatus,
    Site,
)


@dataclass
class RecordFilters:
    q: str = ""
    province: str = ""  # Area code
    rank: str = ""
    site_type: str = ""
    category: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, params: Any) -> RecordFilters:
        def get(name: str) -> str:
            return (params.get(name) or "").strip()[:200]

        return cls(q=get("q"), province=get("province"), rank=get("rank"), site_type=get("type"),
                   category=get("category"), status=get("status"))


def _scoped(actor: Any, queryset: QuerySet) -> QuerySet:
    """Records the actor may see in the back office (every role that edits heritage also views it)."""
    return scope(actor, HeritageAction.VIEW, queryset)


def _text_filter(queryset: QuerySet, q: str, fields: tuple[str, ...], *, actor: Any = None) -> QuerySet:
    """Records whose fields contain `q`, plus the platform search's best matches for it, which also
    finds text typed without diacritics ("dinh an mot" → "Đình làng An Một")."""
    if not q:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    ids = _search_ids(actor, q, queryset.model.SEARCH_KIND)
    if ids:
        condition |= Q(pk__in=ids)
    return queryset.filter(condition)


def _search_ids(actor: Any, q: str, kind: str) -> list[int]:
    try:
        results = search(actor=actor, q=q, kinds=[kind], limit=50)
    except DomainError:
        return []
    return [int(hit.object_id) for hit in results.hits if str(hit.object_id).isdigit()]


def site_list(*, actor: Any, filters: RecordFilters | None = None) -> QuerySet[Site]:
    filters = filters or RecordFilters()
    queryset = _scoped(actor, Site.objects.all()).select_related("province", "commune", "organisation")
    if filters.province:
        queryset = queryset.filter(province__code=filters.province)
    if filters.rank:
        queryset = queryset.filter(rank=filters.rank)
    if filters.site_type:
        queryset = queryset.filter(site_type=filters.site_type)
    if filters.status in RecordStatus.values:
        queryset = queryset.filter(status=filters.status)
    queryset = _text_filter(queryset, filters.q, ("name", "code", "other_names", "address"), actor=actor)
    return queryset.order_by("province__sort_name", "code")


def intangible_list(*, actor: Any, filters: RecordFilters | None = None) -> QuerySet[IntangibleHeritage]:
    filters = filters or RecordFilters()
    queryset = _scoped(actor, IntangibleHeritage.objects.all()).select_related("organisation")
    queryset = queryset.prefetch_related("provinces")
    if filters.province:
        queryset = queryset.filter(provinces__code=filters.province).distinct()
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.status in RecordStatus.values:
        queryset = queryset.filter(status=filters.status)
    queryset = _text_filter(queryset, filters.q, ("name", "code", "name_en", "communities"), actor=actor)
    return queryset.order_by("code")


def festival_list(*, actor: Any, filters: RecordFilters | None = None) -> QuerySet[Festival]:
    filters = filters or RecordFilters()
    queryset = _scoped(actor, Festival.objects.all()).select_related("province", "organisation", "site")
    if filters.province:
        queryset = queryset.filter(province__code=filters.province)
    if filters.status in RecordStatus.values:
        queryset = queryset.filter(status=filters.status)
    queryset = _text_filter(queryset, filters.q, ("name", "code", "name_en", "place"), actor=actor)
    return queryset.order_by("calendar", "month", "day", "code")


_MODELS = {"site": Site, "intangible": IntangibleHeritage, "festival": Festival}


def get_record_for_actor(actor: Any, model: type, pk: Any, action: str = HeritageAction.VIEW):
    """The record with `pk`, if the actor may take `action` on it: else 404 (unknown) or 403 (not yours)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    record = model.objects.select_related("organisation").filter(pk=pk).first()
    if record is None:
        raise Http404(_("Không tìm thấy bản ghi."))
    allowed = can(actor, action, record)
    if action == HeritageAction.VIEW and not allowed:
        allowed = can(actor, HeritageAction.EDIT, record)
    if not allowed:
        raise PermissionDenied(_("Bản ghi này thuộc đơn vị ngoài phạm vi của bạn."))
    return record


def get_site_for_actor(actor: Any, pk: Any, action: str = HeritageAction.VIEW) -> Site:
    return get_record_for_actor(actor, Site, pk, action)


def get_intangible_for_actor(actor: Any, pk: Any, action: str = HeritageAction.VIEW) -> IntangibleHeritage:
    return get_record_for_actor(actor, IntangibleHeritage, pk, action)


def get_festival_for_actor(actor: Any, pk: Any, action: str = HeritageAction.VIEW) -> Festival:
    return get_record_for_actor(actor, Festival, pk, action)


def get_media_for_actor(actor: Any, pk: Any, action: str = HeritageAction.EDIT) -> Media:
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    item = Media.objects.select_related("site__organisation", "intangible__organisation",
                                        "festival__organisation").filter(pk=pk).first()
    if item is None:
        raise Http404(_("Không tìm thấy tư liệu."))
    if not can(actor, action, item.record):
        raise PermissionDenied(_("Bản ghi này thuộc đơn vị ngoài phạm vi của bạn."))
    return item


def revisions_of(record: Any) -> QuerySet[Revision]:
    """The record's revisions, newest first (the caller has checked the actor may see the record)."""
    return revision_selectors.revisions_of(record).select_related("actor")


def media_of(record: Any) -> QuerySet[Media]:
    return record.media.all().order_by("sort_order", "id")


def published_sites() -> QuerySet[Site]:
    """Every published site (public data: the portal, the GeoJSON export)."""
    return Site.objects.filter(status=RecordStatus.PUBLISHED).select_related("province", "commune")


def home_cards(*, actor: Any) -> list:
    """Cards for the home page: records in the actor's scope and drafts waiting."""
    from django.urls import reverse

    from vhttdl.core.modules import HomeCard

    if not (can(actor, HeritageAction.EDIT) or can(actor, HeritageAction.VIEW)):
        return []
    sites = _scoped(actor, Site.objects.all())
    counts = {row["status"]: row["n"] for row in sites.order_by().values("status").annotate(n=_count())}
    url = reverse("heritage:manage_sites")
    cards = [HomeCard(_("Di tích trong phạm vi"), sum(counts.values()), _("di tích, danh thắng"), url)]
    if can(actor, HeritageAction.EDIT):
        cards.append(HomeCard(_("Di tích chờ công bố"), counts.get(RecordStatus.DRAFT, 0), _("bản nháp"),
                              f"{url}?status=draft"))
    return cards


def _count():
    from django.db.models import Count

    return Count("id")
