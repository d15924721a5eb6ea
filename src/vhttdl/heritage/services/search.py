"""Heritage records in the platform search: one document per record, drafts not public.

Every record is indexed, drafts with `public=False` (officers find them in the back office
search; visitors never see them), published ones with `public=True`. `search_documents()` yields
the `index_document` kwargs for every record, for `vhttdl manage reindex`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import translation

from vhttdl.core.search import services as search_services
from vhttdl.heritage.models import Festival, IntangibleHeritage, Record, Site


def index_records(kind: str, ids: list[int]) -> None:
    """Send the current state of these records to the platform search (removing deleted ones).

    Called inside the writer's transaction: a rolled-back write leaves no trace in the index.
    """
    if not ids:
        return
    model = {
        Site.SEARCH_KIND: Site,
        IntangibleHeritage.SEARCH_KIND: IntangibleHeritage,
        Festival.SEARCH_KIND: Festival,
    }[kind]
    found = {r.pk: r for r in _with_search_relations(model.objects.filter(pk__in=ids))}
    documents = [search_document(found[pk]) for pk in ids if pk in found]
    for pk in ids:
        if pk not in found:
            search_services.remove_document(kind=kind, object_id=pk)
    if len(documents) == 1:
        search_services.index_document(**documents[0])
    elif documents:
        search_services.index_documents_bulk(documents)


def _with_search_relations(queryset):
    model = queryset.model
    if model is Site:
        return queryset.select_related("province", "commune").prefetch_related("translations")
    if model is Festival:
        return queryset.select_related("province", "commune")
    return queryset.prefetch_related("provinces")


def public_url(record: Record) -> str:
    """The record's public page on the portal ("" when the portal has none for this kind)."""
    return public_url_builder()(record)


def public_url_builder():
    """A function record → public URL that reverses each URL name once (fast for bulk indexing)."""
    from django.urls import NoReverseMatch, reverse

    placeholder = "__CODE__"
    templates: dict[type, str] = {}
    try:
        templates[Site] = reverse("heritage:portal-site", kwargs={"code": placeholder})
    except NoReverseMatch:
        pass
    try:
        templates[Festival] = reverse("heritage:portal-festivals") + f"#{placeholder}"
    except NoReverseMatch:
        pass

    def build(record: Record) -> str:
        template = templates.get(type(record))
        return template.replace(placeholder, record.code) if template else ""

    return build


_LABELS: dict[tuple, str] = {}


def _display(record: Record, field: str) -> str:
    """`record.get_<field>_display()`, remembered per language and value: Django hashes the lazy
    labels of every choice on each call, which was a fifth of a 5,000-row import's indexing."""
    value = getattr(record, field)
    key = (translation.get_language(), type(record).__name__, field, value)
    label = _LABELS.get(key)
    if label is None:
        label = _LABELS[key] = str(getattr(record, f"get_{field}_display")())
    return label


def _lines(*parts: str) -> str:
    return "\n".join(x for x in parts if x)


def _labels(record: Record, field: str) -> tuple[str, str]:
    """A choice's label in Vietnamese and in English, whatever language is active."""
    with translation.override("vi"):
        vi = _display(record, field)
    with translation.override("en"):
        return vi, _display(record, field)


def search_document(record: Record, *, url: str | None = None, en: Any = False) -> dict[str, Any]:
    """The kwargs for `core.search.services.index_document` describing one record.

    The English body repeats the places (names are the same) with English labels (rank,
    category) and the English description where there is one, never the Vietnamese one: English
    results show English text, with Vietnamese only in names. Bulk callers pass `url` (see
    `public_url_builder`) and, for sites, `en` (an object with `name` and `description`, or
    None) so that no query or URL reversing happens per record.
    """
    if url is None:
        url = public_url(record)
    if isinstance(record, Site):
        if en is False:
            en = next((t for t in record.translations.all() if t.language == "en"), None)
        places = _lines(record.other_names, record.address, record.commune.name if record.commune_id else "",
                        record.province.name)
        rank_vi, rank_en = _labels(record, "rank")
        return {
            "kind": Site.SEARCH_KIND,
            "object_id": record.pk,
            "title": record.name,
            "body": _lines(places, rank_vi, record.description, record.history),
            "title_en": en.name if en else "",
            "body_en": _lines(places, rank_en, *((en.description, en.history) if en else ())),
            "province_code": record.province.code,
            "url": url,
            "public": record.is_published,
            "extra": {
                "code": record.code,
                "rank": record.rank,
                "site_type": record.site_type,
                "lat": record.latitude,
                "lon": record.longitude,
                "status": record.status,
            },
        }
    if isinstance(record, Festival):
        places = _lines(record.place, record.province.name)
        return {
            "kind": Festival.SEARCH_KIND,
            "object_id": record.pk,
            "title": record.name,
            "body": _lines(places, record.description),
            "title_en": record.name_en,
            "body_en": _lines(places, record.description_en),
            "province_code": record.province.code,
            "url": url,
            "public": record.is_published,
            "extra": {
                "code": record.code,
                "calendar": record.calendar,
                "month": record.month,
                "day": record.day,
                "status": record.status,
            },
        }
    provinces = list(record.provinces.all())
    places = _lines(record.communities, ", ".join(p.name for p in provinces))
    category_vi, category_en = _labels(record, "category")
    return {
        "kind": IntangibleHeritage.SEARCH_KIND,
        "object_id": record.pk,
        "title": record.name,
        "body": _lines(places, category_vi, record.description),
        "title_en": record.name_en,
        "body_en": _lines(places, category_en, record.description_en),
        "province_code": provinces[0].code if len(provinces) == 1 else "",
        "province_codes": [p.code for p in provinces],
        "url": url,
        "public": record.is_published,
        "extra": {
            "code": record.code,
            "category": record.category,
            "unesco_list": record.unesco_list,
            "province_codes": [p.code for p in provinces],
            "status": record.status,
        },
    }


def search_documents(*, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every heritage record as `index_document` kwargs (drafts with public=False), for reindexing."""
    build_url = public_url_builder()
    for model in (Site, IntangibleHeritage, Festival):
        last_pk = 0
        while True:
            batch = list(
                _with_search_relations(model.objects.filter(pk__gt=last_pk).order_by("pk"))[:batch_size]
            )
            if not batch:
                break
            for record in batch:
                yield search_document(record, url=build_url(record))
            last_pk = batch[-1].pk
