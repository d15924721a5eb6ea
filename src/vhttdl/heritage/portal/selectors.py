"""What the public portal reads: published records only, for anonymous visitors.

Nothing here takes an actor: every query starts from `published_sites()` / `published_festivals()`,
so a draft can never reach the map, a site page, the calendar or a QR board.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.units.models import Area
from vhttdl.heritage import clustering
from vhttdl.heritage.clustering import BBox
from vhttdl.heritage.lunar import LunarDateError, occurrences_in_gregorian_year, solar_to_lunar
from vhttdl.heritage.models import (
    CalendarKind,
    Festival,
    Media,
    RecordStatus,
    Site,
    SiteRank,
    SiteTranslation,
    SiteType,
)

LIST_LIMIT = 50  # sites listed beside the map when the view holds clusters
# Higher ranks first in lists: special national, national, provincial, inventoried.
RANK_ORDER = [SiteRank.SPECIAL_NATIONAL, SiteRank.NATIONAL, SiteRank.PROVINCIAL, SiteRank.INVENTORIED]


def _language() -> str:
    return (translation.get_language() or "vi").split("-")[0]


def published_sites() -> QuerySet[Site]:
    return Site.objects.filter(status=RecordStatus.PUBLISHED)


def published_festivals() -> QuerySet[Festival]:
    return Festival.objects.filter(status=RecordStatus.PUBLISHED)


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteFilters:
    province: Area | None = None
    ranks: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    def apply(self, queryset: QuerySet[Site]) -> QuerySet[Site]:
        if self.province is not None:
            queryset = queryset.filter(province_id=self.province.pk)
        if self.ranks:
            queryset = queryset.filter(rank__in=self.ranks)
        if self.types:
            queryset = queryset.filter(site_type__in=self.types)
        return queryset


def current_provinces() -> QuerySet[Area]:
    return Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True).order_by("name")


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def parse_site_filters(*, province: str | None = None, rank: str | None = None,
                       site_type: str | None = None) -> SiteFilters:
    """Filters from query parameters (codes; several ranks/types comma-separated); InvalidInput if unknown."""
    ranks = _split(rank)
    unknown = [value for value in ranks if value not in SiteRank.values]
    if unknown:
        raise InvalidInput(
            _("Cấp xếp hạng không hợp lệ. Giá trị hợp lệ: %(allowed)s.") % {"allowed": ", ".join(SiteRank.values)},
            code="invalid_rank", details={"allowed": list(SiteRank.values)},
        )
    types = _split(site_type)
    unknown = [value for value in types if value not in SiteType.values]
    if unknown:
        raise InvalidInput(
            _("Loại hình không hợp lệ. Giá trị hợp lệ: %(allowed)s.") % {"allowed": ", ".join(SiteType.values)},
            code="invalid_type", details={"allowed": list(SiteType.values)},
        )
    area = None
    if province:
        code = province.strip()[:10]
        area = Area.objects.filter(level=Area.Level.PROVINCE, code=code).order_by("valid_to").first()
        if area is None:
            raise InvalidInput(_("Không có tỉnh, thành phố với mã này."), code="invalid_province")
    return SiteFilters(province=area, ranks=tuple(ranks), types=tuple(types))


# --- the map -----------------------------------------------------------------------------------


def site_url(code: str) -> str:
    from django.urls import reverse

    return reverse("heritage:portal-site", args=[code])


def _translated_names(site_ids: list[int], language: str) -> dict[int, str]:
    if language == "vi" or not site_ids:
        return {}
    rows = SiteTranslation.objects.filter(site_id__in=site_ids, language=language).exclude(name="")
    return dict(rows.values_list("site_id", "name"))


def _site_feature(row: dict, names: dict[int, str], province_names: dict[int, str]) -> dict:
    return {
        "type": "Feature",
        "id": row["code"],
        "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
        "properties": {
            "kind": "site",
            "code": row["code"],
            "name": names.get(row["id"], row["name"]),
            "rank": row["rank"],
            "rank_label": str(SiteRank(row["rank"]).label),
            "type": row["site_type"],
            "type_label": str(SiteType(row["site_type"]).label),
            "province": province_names.get(row["province_id"], ""),
            "url": site_url(row["code"]),
        },
    }


_SITE_COLUMNS = ("id", "code", "name", "rank", "site_type", "latitude", "longitude", "province_id")


def _province_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(Area.objects.filter(pk__in=ids).values_list("pk", "name"))


def _rank_sorted(rows: list[dict]) -> list[dict]:
    order = {rank: index for index, rank in enumerate(RANK_ORDER)}
    return sorted(rows, key=lambda row: (order.get(row["rank"], 9), row["name"]))


def site_features(bbox: BBox, zoom: int, filters: SiteFilters) -> dict:
    """A GeoJSON FeatureCollection for the map: sites when few or close, grid clusters otherwise.

    Foreign members (allowed by RFC 7946): `meta` (mode, total in view, truncated, cell size) and
    `list` (the sites to list beside the map, higher ranks first, at most LIST_LIMIT in cluster mode).
    """
    language = _language()
    base = filters.apply(
        published_sites().filter(
            longitude__gte=bbox.min_lon, longitude__lte=bbox.max_lon,
            latitude__gte=bbox.min_lat, latitude__lte=bbox.max_lat,
        )
    )
    size = clustering.cell_size(bbox, zoom)
    if zoom < clustering.DETAIL_ZOOM:
        cells = list(
            base.annotate(
                cx=Floor(Cast(F("longitude"), FloatField()) / size),
                cy=Floor(Cast(F("latitude"), FloatField()) / size),
            )
            .values("cx", "cy")
            .annotate(n=Count("id"), lon=Avg("longitude"), lat=Avg("latitude"), first=Min("id"),
                      min_lon=Min("longitude"), max_lon=Max("longitude"),
                      min_lat=Min("latitude"), max_lat=Max("latitude"))
            .order_by()
        )
        total = sum(cell["n"] for cell in cells)
        if total > clustering.MAX_FEATURES or len(cells) < total:
            return _cluster_collection(base, cells, total, size, language)
    rows = list(base.order_by("id").values(*_SITE_COLUMNS)[: clustering.MAX_FEATURES + 1])
    truncated = len(rows) > clustering.MAX_FEATURES
    rows = rows[: clustering.MAX_FEATURES]
    names = _translated_names([row["id"] for row in rows], language)
    provinces = _province_names({row["province_id"] for row in rows})
    features = [_site_feature(row, names, provinces) for row in rows]
    listed = _rank_sorted(rows)
    return {
        "type": "FeatureCollection",
        "features": features,
        "meta": {"mode": "sites", "total": len(rows) if not truncated else None, "returned": len(rows),
                 "truncated": truncated, "zoom": zoom, "bbox": bbox.as_list()},
        "list": [_site_feature(row, names, provinces)["properties"] for row in listed],
    }


def _cluster_collection(base: QuerySet[Site], cells: list[dict], total: int, size: float,
                        language: str) -> dict:
    single_ids = [cell["first"] for cell in cells if cell["n"] == 1]
    singles = list(published_sites().filter(pk__in=single_ids).values(*_SITE_COLUMNS))
    top = _top_sites(base)
    ids = [row["id"] for row in singles] + [row["id"] for row in top]
    names = _translated_names(ids, language)
    provinces = _province_names({row["province_id"] for row in singles + top})
    features = [_site_feature(row, names, provinces) for row in singles]
    for cell in cells:
        if cell["n"] == 1:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(cell["lon"], 6), round(cell["lat"], 6)]},
            "properties": {
                "kind": "cluster",
                "count": cell["n"],
                "bbox": [cell["min_lon"], cell["min_lat"], cell["max_lon"], cell["max_lat"]],
            },
        })
    return {
        "type": "FeatureCollection",
        "features": features,
        "meta": {"mode": "clusters", "total": total, "returned": len(features), "truncated": False,
                 "cell_degrees": size},
        "list": [_site_feature(row, names, provinces)["properties"] for row in top],
    }


def _top_sites(base: QuerySet[Site]) -> list[dict]:
    """The LIST_LIMIT highest-ranked sites in view, by rank then name."""
    rank_order = Case(*[When(rank=rank, then=Value(index)) for index, rank in enumerate(RANK_ORDER)],
                      default=Value(9), output_field=IntegerField())
    return list(base.order_by(rank_order, "name").values(*_SITE_COLUMNS)[:LIST_LIMIT])


# --- a site's page -----------------------------------------------------------------------------


def _media() -> QuerySet[Media]:
    return Media.objects.order_by("sort_order", "id")


def get_public_site(code: str) -> Site:
    """A published site by code with what its page shows; 404 for unknown codes and drafts alike."""
    site = (
        published_sites()
        .select_related("province", "commune")
        .prefetch_related(
            "translations",
            Prefetch("media", queryset=_media().filter(kind=Media.Kind.IMAGE), to_attr="images"),
            Prefetch("media", queryset=_media().exclude(kind=Media.Kind.IMAGE), to_attr="links"),
            "decisions",
            "festivals",
        )
        .filter(code=code[:40])
        .first()
    )
    if site is None:
        raise Http404(_("Không tìm thấy di tích này."))
    return site


@dataclass
class SiteTexts:
    """A site's texts in the visitor's language, and whether any had to fall back to Vietnamese."""

    name: str
    description: str
    history: str
    directions: str
    language: str
    fell_back: bool = False


def site_texts(site: Site, language: str | None = None) -> SiteTexts:
    language = (language or _language()).split("-")[0]
    fields = ("name", "description", "history", "directions")
    if language == "vi":
        return SiteTexts(*(getattr(site, name) for name in fields), language="vi")
    translation_row = next((tr for tr in site.translations.all() if tr.language == language), None)
    values, fell_back = {}, translation_row is None
    for name in fields:
        value = getattr(translation_row, name, "") if translation_row else ""
        if not value and getattr(site, name):
            fell_back = True
        values[name] = value or getattr(site, name)
    return SiteTexts(**values, language=language, fell_back=fell_back)


@dataclass
class NearbySite:
    code: str
    name: str
    rank: str
    rank_label: str
    distance_km: float
    url: str = field(default="")


def nearby_sites(site: Site, *, km: float = 20.0, limit: int = 8) -> list[NearbySite]:
    """Published sites within `km` of this one, nearest first: a box pre-filter, then haversine."""
    if site.latitude is None or site.longitude is None:
        return []
    box = clustering.bbox_around(site.latitude, site.longitude, km)
    rows = (
        published_sites()
        .filter(longitude__gte=box.min_lon, longitude__lte=box.max_lon,
                latitude__gte=box.min_lat, latitude__lte=box.max_lat)
        .exclude(pk=site.pk)
        .values_list("id", "code", "name", "rank", "latitude", "longitude")[:5000]
    )
    found = []
    for site_id, code, name, rank, lat, lon in rows:
        distance = clustering.haversine_km(site.latitude, site.longitude, lat, lon)
        if distance <= km:
            found.append((distance, site_id, code, name, rank))
    found.sort()
    found = found[:limit]
    names = _translated_names([row[1] for row in found], _language())
    return [
        NearbySite(code, names.get(site_id, name), rank, str(SiteRank(rank).label), round(distance, 1),
                   site_url(code))
        for distance, site_id, code, name, rank in found
    ]


# --- the festival calendar ---------------------------------------------------------------------


@dataclass
class FestivalOccurrence:
    festival: Festival
    starts_on: date
    lunar_label: str  # dd/mm of the lunar calendar ("" for solar festivals)
    name: str

    @property
    def month(self) -> int:
        return self.starts_on.month


def _solar_dates(festival: Festival, year: int) -> list[date]:
    if festival.calendar == CalendarKind.SOLAR:
        try:
            return [date(year, festival.month, festival.day)]
        except ValueError:
            return []
    try:
        return occurrences_in_gregorian_year(year, festival.month, min(festival.day, 30))
    except LunarDateError:
        return []


def festival_calendar(
    year: int, *, province: Area | None = None
) -> list[tuple[int, list[FestivalOccurrence]]]:
    """Every published festival's dates in Gregorian `year`, grouped by month: [(month, [...]), ...]."""
    if not 1900 <= year <= 2100:
        raise InvalidInput(_("Năm phải nằm trong khoảng 1900 đến 2100."), code="invalid_year")
    festivals = published_festivals().select_related("province", "site")
    if province is not None:
        festivals = festivals.filter(province_id=province.pk)
    occurrences = []
    for festival in festivals:
        for starts_on in _solar_dates(festival, year):
            label = solar_to_lunar(starts_on).label if festival.calendar == CalendarKind.LUNAR else ""
            occurrences.append(FestivalOccurrence(festival, starts_on, label, festival.translated("name")))
    occurrences.sort(key=lambda occurrence: (occurrence.starts_on, occurrence.name))
    months: dict[int, list[FestivalOccurrence]] = {}
    for occurrence in occurrences:
        months.setdefault(occurrence.month, []).append(occurrence)
    return sorted(months.items())


def festival_features(year: int, bbox: BBox | None = None, province: Area | None = None) -> dict:
    """Festivals as map points: at their linked site, else at their province's centre (approximate)."""
    festivals = published_festivals().select_related("site", "province")
    if province is not None:
        festivals = festivals.filter(province_id=province.pk)
    features = []
    for festival in festivals[: clustering.MAX_FEATURES * 4]:
        site = festival.site if festival.site and festival.site.status == RecordStatus.PUBLISHED else None
        if site and site.latitude is not None:
            lon, lat, approximate = site.longitude, site.latitude, False
        elif festival.province.latitude is not None:
            lon, lat, approximate = festival.province.longitude, festival.province.latitude, True
        else:
            continue
        if bbox is not None and not bbox.contains(lon, lat):
            continue
        dates = _solar_dates(festival, year)
        features.append({
            "type": "Feature",
            "id": festival.code,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "kind": "festival",
                "code": festival.code,
                "name": festival.translated("name"),
                "date": dates[0].isoformat() if dates else None,
                "lunar": festival.calendar == CalendarKind.LUNAR,
                "lunar_label": f"{festival.day:02d}/{festival.month:02d}"
                if festival.calendar == CalendarKind.LUNAR else "",
                "province": festival.province.name,
                "approximate": approximate,
                "site_url": site_url(site.code) if site else None,
            },
        })
        if len(features) >= clustering.MAX_FEATURES:
            break
    return {"type": "FeatureCollection", "features": features,
            "meta": {"year": year, "returned": len(features)}}
