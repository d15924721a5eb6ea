"""What the public portal reads: published records only, for anonymous visitors.

Nothing here takes an actor: every query starts from `published_sites()` / `published_festivals()`,
so a draft can never reach the map, a site page, the calendar or a QR board.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import numpy as np
from django.db.models import F, Prefetch, QuerySet
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
from vhttdl.heritage.portal import pointindex

LIST_LIMIT = 50  # sites listed beside the map when the view holds clusters
LIST_LIMIT_CLOSE = 200  # ... and when it holds sites


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
    return Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True).order_by("sort_name", "code")


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
        # The current unit first (valid_to NULL), on every database.
        area = (Area.objects.filter(level=Area.Level.PROVINCE, code=code)
                .order_by(F("valid_to").desc(nulls_first=True)).first())
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


def _province_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(Area.objects.filter(pk__in=ids).values_list("pk", "name"))


class _Features:
    """Turns positions in the point index into GeoJSON features (names translated in one query).

    Up to 2,000 sites per answer: labels and the page URL pattern are worked out once, not per site.
    """

    def __init__(self, index: pointindex.PointIndex, positions: list[int], language: str):
        self.index = index
        ids = [int(index.ids[p]) for p in positions]
        self.names = _translated_names(ids, language)
        self.provinces = _province_names({int(index.province[p]) for p in positions})
        self.rank_labels = [(str(rank), str(SiteRank(rank).label)) for rank in pointindex.RANK_ORDER]
        self.type_labels = [(str(kind), str(SiteType(kind).label)) for kind in pointindex.TYPE_ORDER]
        placeholder = "0SITECODE0"
        self.url_head, self.url_tail = site_url(placeholder).split(placeholder)
        self._done: dict[int, dict] = {}

    def properties(self, position: int) -> dict:
        done = self._done.get(position)
        if done is not None:
            return done
        index = self.index
        site_id = int(index.ids[position])
        rank, rank_label = self.rank_labels[index.rank[position]]
        kind, type_label = self.type_labels[index.site_type[position]]
        code = index.codes[position]
        props = {
            "kind": "site",
            "code": code,
            "name": self.names.get(site_id, index.names[position]),
            "rank": rank,
            "rank_label": rank_label,
            "type": kind,
            "type_label": type_label,
            "province": self.provinces.get(int(index.province[position]), ""),
            "url": f"{self.url_head}{quote(code, safe='')}{self.url_tail}",
        }
        self._done[position] = props
        return props

    def feature(self, position: int) -> dict:
        props = self.properties(position)
        return {
            "type": "Feature",
            "id": props["code"],
            "geometry": {"type": "Point",
                         "coordinates": [float(self.index.lon[position]), float(self.index.lat[position])]},
            "properties": props,
        }


def _select(index: pointindex.PointIndex, bbox: BBox, filters: SiteFilters) -> np.ndarray:
    mask = (index.lon >= bbox.min_lon) & (index.lon <= bbox.max_lon)
    mask &= (index.lat >= bbox.min_lat) & (index.lat <= bbox.max_lat)
    if filters.province is not None:
        mask &= index.province == filters.province.pk
    if filters.ranks:
        mask &= np.isin(index.rank, [pointindex.RANK_ORDER.index(rank) for rank in filters.ranks])
    if filters.types:
        mask &= np.isin(index.site_type, [pointindex.TYPE_ORDER.index(kind) for kind in filters.types])
    return np.flatnonzero(mask)


def _top(index: pointindex.PointIndex, positions: np.ndarray, limit: int) -> list[int]:
    """The `limit` highest-ranked sites among `positions`, by rank then name."""
    if positions.size == 0:
        return []
    key = index.rank[positions].astype(np.int64) * (len(index) + 1) + index.name_order[positions]
    if positions.size > limit:
        keep = np.argpartition(key, limit - 1)[:limit]
        positions, key = positions[keep], key[keep]
    return [int(p) for p in positions[np.argsort(key, kind="stable")]]


def site_features(bbox: BBox, zoom: int, filters: SiteFilters) -> dict:
    """A GeoJSON FeatureCollection for the map: sites when few or close, grid clusters otherwise.

    Foreign members (allowed by RFC 7946): `meta` (mode, total in view, truncated, cell size) and
    `list` (the sites to list beside the map, higher ranks first, at most LIST_LIMIT in cluster mode).
    """
    language = _language()
    index = pointindex.current()
    positions = _select(index, bbox, filters)
    total = int(positions.size)
    size = clustering.cell_size(bbox, zoom)
    if zoom < clustering.DETAIL_ZOOM and total > 1:
        cx = ((index.lon[positions] + 180.0) / size).astype(np.int64)
        cy = ((index.lat[positions] + 90.0) / size).astype(np.int64)
        keys, inverse, counts = np.unique(cx * 10_000_000 + cy, return_inverse=True, return_counts=True)
        if total > clustering.MAX_FEATURES or len(keys) < total:
            return _clusters(index, positions, inverse, counts, total, size, language)
    truncated = total > clustering.MAX_FEATURES
    shown = [int(p) for p in positions[: clustering.MAX_FEATURES]]
    listed = _top(index, positions[: clustering.MAX_FEATURES], LIST_LIMIT_CLOSE)
    features = _Features(index, shown, language)
    return {
        "type": "FeatureCollection",
        "features": [features.feature(p) for p in shown],
        "meta": {"mode": "sites", "total": total, "returned": len(shown), "truncated": truncated,
                 "zoom": zoom, "bbox": bbox.as_list()},
        "list": [features.properties(p) for p in listed],
    }


def _clusters(index: pointindex.PointIndex, positions: np.ndarray, inverse: np.ndarray, counts: np.ndarray,
              total: int, size: float, language: str) -> dict:
    lon, lat = index.lon[positions], index.lat[positions]
    cells = len(counts)
    mean_lon = np.bincount(inverse, weights=lon, minlength=cells) / counts
    mean_lat = np.bincount(inverse, weights=lat, minlength=cells) / counts
    bounds = np.empty((4, cells))
    bounds[0].fill(np.inf)
    bounds[1].fill(np.inf)
    bounds[2].fill(-np.inf)
    bounds[3].fill(-np.inf)
    np.minimum.at(bounds[0], inverse, lon)
    np.minimum.at(bounds[1], inverse, lat)
    np.maximum.at(bounds[2], inverse, lon)
    np.maximum.at(bounds[3], inverse, lat)
    first = np.full(cells, len(index), dtype=np.int64)
    np.minimum.at(first, inverse, positions)
    singles = [int(first[cell]) for cell in np.flatnonzero(counts == 1)]
    top = _top(index, positions, LIST_LIMIT)
    features = _Features(index, singles + top, language)
    out = [features.feature(p) for p in singles]
    for cell in np.flatnonzero(counts > 1):
        out.append({
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(float(mean_lon[cell]), 6), round(float(mean_lat[cell]), 6)]},
            "properties": {
                "kind": "cluster",
                "count": int(counts[cell]),
                "bbox": [float(bounds[0][cell]), float(bounds[1][cell]), float(bounds[2][cell]),
                         float(bounds[3][cell])],
            },
        })
    return {
        "type": "FeatureCollection",
        "features": out,
        "meta": {"mode": "clusters", "total": total, "returned": len(out), "truncated": False,
                 "cell_degrees": size},
        "list": [features.properties(p) for p in top],
    }


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
    anchor: str = ""  # the festival's code on its first occurrence: the search links to /festivals/#code

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
    anchored: set[str] = set()
    for occurrence in occurrences:
        if occurrence.festival.code not in anchored:
            anchored.add(occurrence.festival.code)
            occurrence.anchor = occurrence.festival.code
    months: dict[int, list[FestivalOccurrence]] = {}
    for occurrence in occurrences:
        months.setdefault(occurrence.month, []).append(occurrence)
    return sorted(months.items())


FESTIVAL_POINTS_MAX_AGE = 60.0


def _festival_points(year: int, language: str) -> list[tuple[int, dict]]:
    """Every published festival as (province id, feature) for a year and language, kept in memory
    while no festival, site or revision was added (the map asks on every move)."""
    token = pointindex.freshness_token(Festival)
    cache = pointindex.festival_points
    cached = cache.get((year, language))
    if cached and cached[0] == token and time.monotonic() - cached[1] < FESTIVAL_POINTS_MAX_AGE:
        return cached[2]
    points = []
    for festival in published_festivals().select_related("site", "province").order_by("month", "day", "code"):
        site = festival.site if festival.site and festival.site.status == RecordStatus.PUBLISHED else None
        if site and site.latitude is not None:
            lon, lat, approximate = site.longitude, site.latitude, False
        elif festival.province.latitude is not None:
            lon, lat, approximate = festival.province.longitude, festival.province.latitude, True
        else:
            continue
        dates = _solar_dates(festival, year)
        lunar = festival.calendar == CalendarKind.LUNAR
        points.append((festival.province_id, {
            "type": "Feature",
            "id": festival.code,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "kind": "festival",
                "code": festival.code,
                "name": festival.translated("name", language),
                "date": dates[0].isoformat() if dates else None,
                "lunar": lunar,
                "lunar_label": f"{festival.day:02d}/{festival.month:02d}" if lunar else "",
                "province": festival.province.name,
                "approximate": approximate,
                "site_url": site_url(site.code) if site else None,
            },
        }))
    if len(cache) > 16:
        cache.clear()
    cache[(year, language)] = (token, time.monotonic(), points)
    return points


def festival_features(year: int, bbox: BBox | None = None, province: Area | None = None) -> dict:
    """Festivals as map points: at their linked site, else at their province's centre (approximate)."""
    features = []
    for province_id, feature in _festival_points(year, _language()):
        if province is not None and province_id != province.pk:
            continue
        lon, lat = feature["geometry"]["coordinates"]
        if bbox is not None and not bbox.contains(lon, lat):
            continue
        features.append(feature)
        if len(features) >= clustering.MAX_FEATURES:
            break
    return {"type": "FeatureCollection", "features": features,
            "meta": {"year": year, "returned": len(features)}}


# --- for pages that compose the portal (the public landing page) -------------------------------


@dataclass(frozen=True)
class FeaturedSite:
    code: str
    name: str
    summary: str
    rank_label: str
    province: str
    image_url: str
    image_alt: str
    url: str
    world_heritage: bool


FEATURED_SUMMARY_CHARS = 180


def featured_sites(*, limit: int = 6, language: str | None = None) -> list[FeaturedSite]:
    """Special national relics to show first: those with a photo, then those with text in the
    visitor's language, World Heritage first, then by name. One query for the sites, one for photos,
    one for translations (`limit` is capped at 24)."""
    language = (language or _language()).split("-")[0]
    limit = max(1, min(limit, 24))
    candidates = list(
        published_sites().filter(rank=SiteRank.SPECIAL_NATIONAL).select_related("province")
        .prefetch_related("translations",
                          Prefetch("media", queryset=_media().filter(kind=Media.Kind.IMAGE).exclude(file=""),
                                   to_attr="images"))
        .order_by("name")[:400]
    )

    def texts(site: Site) -> SiteTexts:
        return site_texts(site, language)

    def key(site: Site) -> tuple:
        own_language = language == "vi" or not texts(site).fell_back
        # An English description marks the best-known sites (the demo data curates them), in any language.
        described_in_english = any(tr.language == "en" and tr.description for tr in site.translations.all())
        return (not site.images, not own_language, not described_in_english,
                site.unesco_status != "world_heritage", site.name)

    chosen = sorted(candidates, key=key)[:limit]
    out = []
    for site in chosen:
        text = texts(site)
        image = site.images[0] if site.images else None
        summary = text.description or text.history
        if len(summary) > FEATURED_SUMMARY_CHARS:
            summary = summary[: FEATURED_SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
        thumb = (image.thumb_large or image.thumb_small or image.file) if image else None
        out.append(FeaturedSite(
            code=site.code, name=text.name, summary=summary, rank_label=str(SiteRank(site.rank).label),
            province=site.province.name, image_url=thumb.url if thumb else "",
            image_alt=(image.caption_in(language) if image else "") or text.name, url=site_url(site.code),
            world_heritage=site.unesco_status == "world_heritage",
        ))
    return out


def festivals_in_month(year: int, month: int, *, limit: int = 8) -> tuple[list[FestivalOccurrence], int]:
    """The published festivals whose (solar) date falls in `month` of `year`, in date order: the first
    `limit` of them, and how many there are in all."""
    occurrences = dict(festival_calendar(year)).get(month, [])
    return occurrences[:limit], len(occurrences)


def next_festival_month(year: int, month: int) -> tuple[int, int] | None:
    """The first (year, month) after `month` of `year`, within twelve months, that has a published festival."""
    calendars: dict[int, dict[int, list]] = {}
    for step in range(1, 13):
        y, m = year + (month - 1 + step) // 12, (month - 1 + step) % 12 + 1
        if y not in calendars:
            calendars[y] = dict(festival_calendar(y)) if 1900 <= y <= 2100 else {}
        if calendars[y].get(m):
            return y, m
    return None
