"""Every write to heritage records: create, update, publish, unpublish, delete, translations,
decisions, media. Each service checks the policy, runs in one transaction, bumps `version`
(optimistic locking: a stale `version` raises Conflict → 409), stores a numbered `Revision`,
writes an audit entry, and feeds the platform search after commit.

Search: every record is indexed, drafts with `public=False` (officers find them in the back
office search; visitors never see them), published ones with `public=True`. `search_documents()`
yields the `index_document` kwargs for every record, for `vhttdl manage reindex`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record, snapshot
from vhttdl.core.errors import Conflict, InvalidInput, check_version
from vhttdl.core.units.models import Area, Organisation
from vhttdl.heritage import permissions
from vhttdl.heritage.geo import check_point, clean_area_geojson
from vhttdl.heritage.models import (
    CalendarKind,
    Festival,
    Inscription,
    IntangibleCategory,
    IntangibleHeritage,
    RankingDecision,
    RecordStatus,
    Revision,
    Site,
    SiteCondition,
    SiteRank,
    SiteTranslation,
    SiteType,
    UnescoList,
    UnescoStatus,
)

logger = logging.getLogger(__name__)

Record = Site | IntangibleHeritage | Festival

SITE_FIELDS = (
    "code",
    "name",
    "other_names",
    "rank",
    "site_type",
    "province",
    "commune",
    "address",
    "latitude",
    "longitude",
    "location_approximate",
    "area_geojson",
    "zone1_geojson",
    "zone1_description",
    "zone2_geojson",
    "zone2_description",
    "condition",
    "condition_note",
    "description",
    "history",
    "directions",
    "unesco_status",
    "unesco_year",
    "organisation",
)
INTANGIBLE_FIELDS = (
    "code",
    "name",
    "name_en",
    "category",
    "communities",
    "unesco_list",
    "unesco_year",
    "description",
    "description_en",
    "organisation",
)
FESTIVAL_FIELDS = (
    "code",
    "name",
    "name_en",
    "calendar",
    "month",
    "day",
    "is_leap_month",
    "duration_days",
    "date_note",
    "province",
    "commune",
    "place",
    "site",
    "intangible",
    "description",
    "description_en",
    "organisation",
)
_SKIP_IN_SNAPSHOT = {"id", "created_at", "updated_at"}
TRANSLATION_LANGUAGES = ("en", "fr", "zh", "ja", "ko", "ru", "de", "es", "km", "lo")


def kind_of(record: Model) -> str:
    return record.SEARCH_KIND


# --- validation -------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise InvalidInput(
                _("Dữ liệu chưa hợp lệ: %(first)s") % {"first": first},
                code="invalid_record",
                details={"fields": self.fields},
            )


def _check_code(errors: _Errors, model: type[Model], obj: Model) -> None:
    code = (obj.code or "").strip()
    obj.code = code
    if not code:
        errors.add("code", _("Cần nhập mã."))
    elif len(code) > 40 or any(ch.isspace() or ch in "/\\?#%<>\"'" for ch in code):
        errors.add("code", _("Mã chỉ gồm chữ, số, dấu gạch ngang, gạch dưới hoặc dấu chấm; tối đa 40 ký tự."))
    elif model.objects.filter(code=code).exclude(pk=obj.pk).exists():
        errors.add("code", _("Mã %(code)s đã được dùng cho một bản ghi khác.") % {"code": code})


def _check_place(errors: _Errors, obj: Site | Festival) -> None:
    province: Area | None = obj.province if obj.province_id else None
    if province is None:
        errors.add("province", _("Cần chọn tỉnh, thành phố."))
    elif province.level != Area.Level.PROVINCE or province.valid_to is not None:
        errors.add(
            "province", _("%(name)s không phải là tỉnh, thành phố hiện hành.") % {"name": province.name}
        )
    commune: Area | None = obj.commune if obj.commune_id else None
    if commune is not None:
        if commune.level != Area.Level.COMMUNE or commune.valid_to is not None:
            errors.add("commune", _("%(name)s không phải là xã, phường hiện hành.") % {"name": commune.name})
        elif province is not None and commune.parent_id != province.pk:
            errors.add(
                "commune",
                _("%(commune)s không thuộc %(province)s.")
                % {"commune": commune.name, "province": province.name},
            )


def validate_site(site: Site) -> None:
    errors = _Errors()
    _check_code(errors, Site, site)
    site.name = (site.name or "").strip()
    if not site.name:
        errors.add("name", _("Cần nhập tên di tích."))
    if site.rank not in SiteRank.values:
        errors.add("rank", _("Cấp xếp hạng không hợp lệ."))
    if site.site_type not in SiteType.values:
        errors.add("site_type", _("Loại hình di tích không hợp lệ."))
    if site.unesco_status not in UnescoStatus.values:
        errors.add("unesco_status", _("Tình trạng UNESCO không hợp lệ."))
    if site.condition not in SiteCondition.values:
        errors.add("condition", _("Tình trạng di tích không hợp lệ."))
    _check_place(errors, site)
    try:
        check_point(site.latitude, site.longitude)
    except InvalidInput as exc:
        errors.add("latitude", exc.message)
    for field in ("area_geojson", "zone1_geojson", "zone2_geojson"):
        try:
            setattr(site, field, clean_area_geojson(getattr(site, field)))
        except InvalidInput as exc:
            errors.add(field, exc.message)
    if site.unesco_year is not None and not (1972 <= int(site.unesco_year) <= 2100):
        errors.add("unesco_year", _("Năm ghi danh không hợp lệ."))
    errors.raise_if_any()


def validate_intangible(item: IntangibleHeritage) -> None:
    errors = _Errors()
    _check_code(errors, IntangibleHeritage, item)
    item.name = (item.name or "").strip()
    if not item.name:
        errors.add("name", _("Cần nhập tên di sản."))
    if item.category not in IntangibleCategory.values:
        errors.add("category", _("Loại hình di sản không hợp lệ."))
    if item.unesco_list not in UnescoList.values:
        errors.add("unesco_list", _("Danh sách UNESCO không hợp lệ."))
    errors.raise_if_any()


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def validate_festival(festival: Festival) -> None:
    errors = _Errors()
    _check_code(errors, Festival, festival)
    festival.name = (festival.name or "").strip()
    if not festival.name:
        errors.add("name", _("Cần nhập tên lễ hội."))
    if festival.calendar not in CalendarKind.values:
        errors.add("calendar", _("Lịch không hợp lệ."))
    month, day = festival.month, festival.day
    if month is None or not 1 <= int(month) <= 12:
        errors.add("month", _("Tháng phải từ 1 đến 12."))
    elif day is None or not 1 <= int(day) <= (
        30 if festival.calendar == CalendarKind.LUNAR else _MONTH_DAYS[month]
    ):
        errors.add("day", _("Ngày không có trong tháng đã chọn (tháng âm lịch có tối đa 30 ngày)."))
    if festival.is_leap_month and festival.calendar != CalendarKind.LUNAR:
        errors.add("is_leap_month", _("Chỉ lịch âm mới có tháng nhuận."))
    if not festival.duration_days or not 1 <= int(festival.duration_days) <= 366:
        errors.add("duration_days", _("Số ngày phải từ 1 đến 366."))
    _check_place(errors, festival)
    errors.raise_if_any()


# --- revisions, audit and search ---------------------------------------------------------------


def record_snapshot(record: Record) -> dict[str, Any]:
    names = [f.attname for f in record._meta.concrete_fields if f.attname not in _SKIP_IN_SNAPSHOT]
    data = snapshot(record, names)
    if isinstance(record, Site):
        data["translations"] = {
            t.language: {
                "name": t.name,
                "description": t.description,
                "history": t.history,
                "directions": t.directions,
            }
            for t in SiteTranslation.objects.filter(site=record).order_by("language")
        }
        data["decisions"] = [
            [d.number, d.decided_on.isoformat() if d.decided_on else None, d.issuer, d.rank]
            for d in RankingDecision.objects.filter(site=record).order_by("decided_on", "id")
        ]
    elif isinstance(record, IntangibleHeritage):
        data["provinces"] = sorted(record.provinces.values_list("code", flat=True))
        data["inscriptions"] = [
            [i.listing, i.number, i.decided_on.isoformat() if i.decided_on else None, i.issuer]
            for i in Inscription.objects.filter(heritage=record).order_by("decided_on", "id")
        ]
    return data


def diff(before: dict | None, after: dict) -> dict[str, list]:
    before = before or {}
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def _revise(*, actor: Any, record: Record, action: str, before: dict | None) -> Revision:
    """Store the next numbered revision, the audit entry, and schedule the search update."""
    after = record_snapshot(record)
    kind = kind_of(record)
    last = Revision.objects.filter(object_type=kind, object_id=record.pk).aggregate(n=Max("number"))["n"] or 0
    revision = Revision.objects.create(
        object_type=kind,
        object_id=record.pk,
        number=last + 1,
        actor=actor if isinstance(actor, Model) else None,
        actor_name=(actor.get_username() if hasattr(actor, "get_username") else "system")[:150],
        action=action,
        snapshot=after,
        changes=diff(before, after),
    )
    audit_record(actor=actor, action=f"{kind}.{action}", obj=record, before=before, after=after)
    _schedule_index(kind, [record.pk])
    return revision


def _schedule_index(kind: str, ids: list[int]) -> None:
    """Update the search index inside the caller's transaction: a rolled-back write leaves no trace."""
    if ids:
        index_records(kind, ids)


def _search_api():
    try:
        from vhttdl.core.search import services as search_services
    except ImportError:  # the search module is optional while it is being built
        return None
    return search_services


def index_records(kind: str, ids: list[int]) -> None:
    """Send the current state of these records to the platform search (removing deleted ones)."""
    api = _search_api()
    if api is None:
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
            api.remove_document(kind=kind, object_id=pk)
    if len(documents) == 1:
        api.index_document(**documents[0])
    elif documents:
        api.index_documents_bulk(documents)


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


# --- shared workflow ---------------------------------------------------------------------------


def _assign(record: Record, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise InvalidInput(
            _("Trường không được phép: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    for name, value in data.items():
        if isinstance(value, str) and name not in ("area_geojson", "zone1_geojson", "zone2_geojson"):
            value = value.strip()
        setattr(record, name, value)


def _set_owner(*, actor: Any, record: Record, organisation: Organisation | None) -> None:
    if organisation is None:
        province = getattr(record, "province", None) if getattr(record, "province_id", None) else None
        organisation = permissions.default_owner(actor, province)
        if organisation is None:
            raise InvalidInput(
                _("Bạn chưa được giao quyền nhập dữ liệu di sản tại đơn vị nào."), code="no_owner"
            )
    permissions.check_owner(actor, organisation)
    record.organisation = organisation


def _lock(record: Record) -> Record:
    return type(record).objects.select_for_update().get(pk=record.pk)


def _create(
    *, actor: Any, model: type, data: dict, allowed: tuple[str, ...], validate, publish: bool
) -> Record:
    data = dict(data)
    organisation = data.pop("organisation", None)
    record = model()
    _assign(record, data, tuple(f for f in allowed if f != "organisation"))
    _set_owner(actor=actor, record=record, organisation=organisation)
    if publish:
        permissions.require_publish(actor, record)
        record.status = RecordStatus.PUBLISHED
        record.published_at = timezone.now()
    validate(record)
    record.version = 1
    record.save()
    return record


def _update(
    *, actor: Any, record: Record, data: dict, version: int | None, allowed: tuple[str, ...], validate
) -> tuple[Record, dict]:
    permissions.require_edit(actor, record)
    record = _lock(record)
    permissions.require_edit(actor, record)
    check_version(record, version)
    before = record_snapshot(record)
    data = dict(data)
    organisation = data.pop("organisation", None)
    _assign(record, data, tuple(f for f in allowed if f != "organisation"))
    if organisation is not None and organisation.pk != record.organisation_id:
        permissions.check_owner(actor, organisation)
        record.organisation = organisation
    validate(record)
    record.version += 1
    record.save()
    return record, before


def _set_status(*, actor: Any, record: Record, status: str, version: int | None) -> Record:
    permissions.require_publish(actor, record)
    with transaction.atomic():
        record = _lock(record)
        permissions.require_publish(actor, record)
        check_version(record, version)
        if record.status == status:
            raise Conflict(
                _("Bản ghi đã ở trạng thái “%(status)s”.") % {"status": record.get_status_display()},
                code="same_status",
            )
        before = record_snapshot(record)
        record.status = status
        record.published_at = timezone.now() if status == RecordStatus.PUBLISHED else None
        record.version += 1
        record.save(update_fields=["status", "published_at", "version", "updated_at"])
        action = "published" if status == RecordStatus.PUBLISHED else "unpublished"
        _revise(actor=actor, record=record, action=action, before=before)
    return record


def record_publish(*, actor: Any, record: Record, version: int | None = None) -> Record:
    """Draft → published (needs `heritage.publish` on the owning unit)."""
    return _set_status(actor=actor, record=record, status=RecordStatus.PUBLISHED, version=version)


def record_unpublish(*, actor: Any, record: Record, version: int | None = None) -> Record:
    """Published → draft: the record leaves the portal and the public search."""
    return _set_status(actor=actor, record=record, status=RecordStatus.DRAFT, version=version)


def record_delete(*, actor: Any, record: Record, version: int | None = None) -> None:
    """Delete a draft (published records must be unpublished first). Revisions stay for the record."""
    permissions.require_edit(actor, record)
    with transaction.atomic():
        record = _lock(record)
        check_version(record, version)
        if record.is_published:
            raise Conflict(_("Hãy gỡ công bố trước khi xóa bản ghi."), code="published")
        before = record_snapshot(record)
        kind, pk = kind_of(record), record.pk
        for item in list(record.media.all()):
            _delete_media_files(item)
        record.delete()
        audit_record(
            actor=actor,
            action=f"{kind}.deleted",
            object_type=kind,
            object_id=pk,
            object_repr=str(before.get("name", ""))[:255],
            before=before,
        )
        _schedule_index(kind, [pk])


# --- sites -------------------------------------------------------------------------------------


def site_create(*, actor: Any, data: dict[str, Any], publish: bool = False) -> Site:
    """Create a site from field values (Area instances for province/commune, optional `organisation`)."""
    with transaction.atomic():
        site = _create(
            actor=actor, model=Site, data=data, allowed=SITE_FIELDS, validate=validate_site, publish=publish
        )
        _revise(actor=actor, record=site, action="created", before=None)
    return site


def site_update(*, actor: Any, site: Site, data: dict[str, Any], version: int | None) -> Site:
    """Change a site's fields; `version` is the one the editor read (stale → Conflict 409)."""
    with transaction.atomic():
        site, before = _update(
            actor=actor, record=site, data=data, version=version, allowed=SITE_FIELDS, validate=validate_site
        )
        _revise(actor=actor, record=site, action="updated", before=before)
    return site


def site_translation_set(
    *,
    actor: Any,
    site: Site,
    language: str,
    name: str = "",
    description: str = "",
    history: str = "",
    directions: str = "",
    version: int | None = None,
) -> Site:
    """Set (or clear, when every text is empty) a site's texts in another language."""
    language = (language or "").strip().lower()
    if language not in TRANSLATION_LANGUAGES:
        raise InvalidInput(
            _("Ngôn ngữ không được hỗ trợ: %(code)s") % {"code": language[:10]}, code="bad_language"
        )
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        check_version(site, version)
        before = record_snapshot(site)
        texts = {
            "name": name.strip(),
            "description": description.strip(),
            "history": history.strip(),
            "directions": directions.strip(),
        }
        if any(texts.values()):
            SiteTranslation.objects.update_or_create(site=site, language=language, defaults=texts)
        else:
            SiteTranslation.objects.filter(site=site, language=language).delete()
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="translated", before=before)
    return site


def ranking_decision_add(
    *,
    actor: Any,
    site: Site,
    number: str,
    decided_on,
    issuer: str = "",
    rank: str,
    note: str = "",
    version: int | None = None,
) -> RankingDecision:
    if rank not in SiteRank.values:
        raise InvalidInput(_("Cấp xếp hạng không hợp lệ."), code="bad_rank")
    if not (number or "").strip():
        raise InvalidInput(_("Cần nhập số quyết định."), code="missing_number")
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        check_version(site, version)
        before = record_snapshot(site)
        decision = RankingDecision.objects.create(
            site=site,
            number=number.strip(),
            decided_on=decided_on,
            issuer=issuer.strip(),
            rank=rank,
            note=note.strip(),
        )
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="decision_added", before=before)
    return decision


def ranking_decision_remove(*, actor: Any, decision: RankingDecision) -> None:
    site = decision.site
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        before = record_snapshot(site)
        RankingDecision.objects.filter(pk=decision.pk, site=site).delete()
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="decision_removed", before=before)


# --- intangible heritage -----------------------------------------------------------------------


def _check_provinces(provinces: list[Area]) -> None:
    for area in provinces:
        if area.level != Area.Level.PROVINCE or area.valid_to is not None:
            raise InvalidInput(
                _("%(name)s không phải là tỉnh, thành phố hiện hành.") % {"name": area.name},
                code="invalid_record",
                details={"fields": {"provinces": [area.name]}},
            )


def intangible_create(
    *, actor: Any, data: dict[str, Any], provinces: list[Area] | None = None, publish: bool = False
) -> IntangibleHeritage:
    provinces = list(provinces or [])
    _check_provinces(provinces)
    with transaction.atomic():
        data = dict(data)
        if "organisation" not in data or data["organisation"] is None:
            data["organisation"] = permissions.default_owner(
                actor, provinces[0] if len(provinces) == 1 else None
            )
        item = _create(
            actor=actor,
            model=IntangibleHeritage,
            data=data,
            allowed=INTANGIBLE_FIELDS,
            validate=validate_intangible,
            publish=publish,
        )
        item.provinces.set(provinces)
        _revise(actor=actor, record=item, action="created", before=None)
    return item


def intangible_update(
    *,
    actor: Any,
    item: IntangibleHeritage,
    data: dict[str, Any],
    version: int | None,
    provinces: list[Area] | None = None,
) -> IntangibleHeritage:
    if provinces is not None:
        _check_provinces(list(provinces))
    with transaction.atomic():
        item, before = _update(
            actor=actor,
            record=item,
            data=data,
            version=version,
            allowed=INTANGIBLE_FIELDS,
            validate=validate_intangible,
        )
        if provinces is not None:
            item.provinces.set(provinces)
        _revise(actor=actor, record=item, action="updated", before=before)
    return item


def inscription_add(
    *,
    actor: Any,
    item: IntangibleHeritage,
    listing: str,
    number: str = "",
    decided_on=None,
    issuer: str = "",
    note: str = "",
    version: int | None = None,
) -> Inscription:
    from vhttdl.heritage.models import InscriptionList

    if listing not in InscriptionList.values:
        raise InvalidInput(_("Danh mục ghi danh không hợp lệ."), code="bad_listing")
    permissions.require_edit(actor, item)
    with transaction.atomic():
        item = _lock(item)
        check_version(item, version)
        before = record_snapshot(item)
        inscription = Inscription.objects.create(
            heritage=item,
            listing=listing,
            number=number.strip(),
            decided_on=decided_on,
            issuer=issuer.strip(),
            note=note.strip(),
        )
        item.version += 1
        item.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=item, action="inscription_added", before=before)
    return inscription


# --- festivals ---------------------------------------------------------------------------------


def _check_links(actor: Any, festival: Festival) -> None:
    for linked in (
        festival.site if festival.site_id else None,
        festival.intangible if festival.intangible_id else None,
    ):
        if linked is not None and not linked.is_published and not permissions.can_view(actor, linked):
            raise InvalidInput(
                _("Không thể liên kết tới một bản ghi nháp ngoài phạm vi của bạn."),
                code="invalid_record",
                details={"fields": {"site": [linked.name]}},
            )


def festival_create(*, actor: Any, data: dict[str, Any], publish: bool = False) -> Festival:
    def validate(festival: Festival) -> None:
        validate_festival(festival)
        _check_links(actor, festival)

    with transaction.atomic():
        festival = _create(
            actor=actor,
            model=Festival,
            data=data,
            allowed=FESTIVAL_FIELDS,
            validate=validate,
            publish=publish,
        )
        _revise(actor=actor, record=festival, action="created", before=None)
    return festival


def festival_update(*, actor: Any, festival: Festival, data: dict[str, Any], version: int | None) -> Festival:
    def validate(record: Festival) -> None:
        validate_festival(record)
        _check_links(actor, record)

    with transaction.atomic():
        festival, before = _update(
            actor=actor,
            record=festival,
            data=data,
            version=version,
            allowed=FESTIVAL_FIELDS,
            validate=validate,
        )
        _revise(actor=actor, record=festival, action="updated", before=before)
    return festival


# --- media -------------------------------------------------------------------------------------


def _media_owner_kwargs(record: Record) -> dict[str, Record]:
    if isinstance(record, Site):
        return {"site": record}
    if isinstance(record, IntangibleHeritage):
        return {"intangible": record}
    if isinstance(record, Festival):
        return {"festival": record}
    raise InvalidInput(_("Không thể gắn tư liệu vào đối tượng này."), code="bad_owner")


def _media_common(caption: str, caption_en: str, credit: str, sort_order: int | None) -> dict[str, Any]:
    return {
        "caption": (caption or "").strip()[:255],
        "caption_en": (caption_en or "").strip()[:255],
        "credit": (credit or "").strip()[:255],
        "sort_order": max(0, int(sort_order or 0)),
    }


def _save_stored_media(*, actor: Any, record: Record, item, names: list[str]) -> None:
    """Save a media row whose files are already stored; if that fails, the files go too (nothing half-kept)."""
    from vhttdl.heritage import media as media_files

    try:
        item.save()
        _media_changed(actor=actor, record=record, action="media_added", item=item)
    except Exception:
        media_files.delete_files(names)
        raise


def media_add_image(
    *,
    actor: Any,
    record: Record,
    upload: Any,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Check the upload really is an image within the size limit, store it with two thumbnails."""
    from vhttdl.heritage import media as media_files
    from vhttdl.heritage.models import Media

    permissions.require_edit(actor, record)
    checked = media_files.check_image(upload)  # raises InvalidInput before anything is stored
    with transaction.atomic():
        locked = _lock(record)
        item = Media(
            kind=Media.Kind.IMAGE,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        stored = media_files.store_image(checked)
        item.file.name, item.thumb_small.name, item.thumb_large.name = stored.names
        item.original_name, item.content_type = checked.original_name, checked.content_type
        item.size, item.width, item.height = checked.size, checked.width, checked.height
        _save_stored_media(actor=actor, record=locked, item=item, names=list(stored.names))
    return item


def media_add_document(
    *,
    actor: Any,
    record: Record,
    upload: Any,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Attach a PDF document (checked by its signature and size)."""
    from vhttdl.heritage import media as media_files
    from vhttdl.heritage.models import Media

    permissions.require_edit(actor, record)
    checked = media_files.check_document(upload)
    with transaction.atomic():
        locked = _lock(record)
        item = Media(
            kind=Media.Kind.DOCUMENT,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        item.file.name = media_files.store_document(checked)
        item.original_name, item.content_type, item.size = checked.original_name, "application/pdf", checked.size
        _save_stored_media(actor=actor, record=locked, item=item, names=[item.file.name])
    return item


def media_add_link(
    *,
    actor: Any,
    record: Record,
    kind: str,
    url: str,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Attach a video or virtual-tour link (http/https only)."""
    from vhttdl.heritage import media as media_files
    from vhttdl.heritage.models import Media

    if kind not in (Media.Kind.VIDEO, Media.Kind.VIRTUAL_TOUR):
        raise InvalidInput(_("Loại liên kết không hợp lệ."), code="bad_kind")
    url = media_files.clean_link(url)
    permissions.require_edit(actor, record)
    with transaction.atomic():
        locked = _lock(record)
        item = Media.objects.create(
            kind=kind,
            url=url,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        _media_changed(actor=actor, record=locked, action="media_added", item=item)
    return item


def media_delete(*, actor: Any, item) -> None:
    record = item.record
    permissions.require_edit(actor, record)
    with transaction.atomic():
        locked = _lock(record)
        names = [n for n in (item.file.name, item.thumb_small.name, item.thumb_large.name) if n]
        summary = _media_summary(item)
        item.delete()
        _media_changed(actor=actor, record=locked, action="media_removed", item=None, summary=summary)
        transaction.on_commit(lambda: _delete_names(names))


def _delete_names(names: list[str]) -> None:
    from vhttdl.heritage import media as media_files

    media_files.delete_files(names)


def _delete_media_files(item) -> None:
    names = [n for n in (item.file.name, item.thumb_small.name, item.thumb_large.name) if n]
    transaction.on_commit(lambda: _delete_names(names))


def _media_summary(item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "file": item.file.name,
        "url": item.url,
        "caption": item.caption,
        "original_name": item.original_name,
        "size": item.size,
    }


def _media_changed(
    *, actor: Any, record: Record, action: str, item=None, summary: dict | None = None
) -> None:
    before = {"version": record.version}
    record.version += 1
    record.save(update_fields=["version", "updated_at"])
    summary = summary or _media_summary(item)
    kind = kind_of(record)
    last = Revision.objects.filter(object_type=kind, object_id=record.pk).aggregate(n=Max("number"))["n"] or 0
    Revision.objects.create(
        object_type=kind,
        object_id=record.pk,
        number=last + 1,
        actor=actor if isinstance(actor, Model) else None,
        actor_name=(actor.get_username() if hasattr(actor, "get_username") else "system")[:150],
        action=action,
        snapshot={"media": summary, "version": record.version},
        changes={
            "media": [
                summary if action == "media_removed" else None,
                summary if action == "media_added" else None,
            ]
        },
    )
    audit_record(
        actor=actor,
        action=f"{kind}.{action}",
        obj=record,
        before=before,
        after={"version": record.version, "media": summary},
    )
