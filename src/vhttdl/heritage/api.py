"""The public heritage API (no login): map features by bounding box and festival points.

Mounted at /api/v1/heritage. Bad parameters get 400 with {code, message, details} through the
project's InvalidInput handler.
"""

from datetime import date

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Router

from vhttdl.core.errors import InvalidInput
from vhttdl.core.httpcache.marking import mark_public
from vhttdl.heritage import clustering
from vhttdl.heritage.portal import selectors

router = Router(tags=["heritage"])

GEOJSON = "application/geo+json"


def _geojson(request: HttpRequest, body: dict) -> JsonResponse:
    response = JsonResponse(body, content_type=GEOJSON)  # ASCII escapes: faster to encode than UTF-8
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return mark_public(response, "heritage")


@router.get("/sites.geojson", auth=None, url_name="heritage_sites_geojson",
            summary="Di tích trong một khung bản đồ (GeoJSON)")
def sites_geojson(request: HttpRequest, bbox: str = "", zoom: str = "", province: str = "",
                  rank: str = "", type: str = ""):
    """Published sites inside `bbox=minLon,minLat,maxLon,maxLat`.

    Below zoom 13 sites are grouped into grid clusters (`properties.kind = "cluster"`, with
    `count` and the members' `bbox`); a cell with one site is sent as the site. From zoom 13, or
    when the view holds few sites, the sites themselves (at most 2,000; `meta.truncated` says when
    more exist). Filters: `province` (area code), `rank` and `type` (codes, comma-separated).
    `list` holds the sites to show beside the map.
    """
    box = clustering.parse_bbox(bbox)
    level = clustering.parse_zoom(zoom, box)
    filters = selectors.parse_site_filters(province=province, rank=rank, site_type=type)
    return _geojson(request, selectors.site_features(box, level, filters))


@router.get("/festivals.geojson", auth=None, url_name="heritage_festivals_geojson",
            summary="Lễ hội trên bản đồ (GeoJSON)")
def festivals_geojson(request: HttpRequest, year: int = 0, bbox: str = "", province: str = ""):
    """Published festivals at their site (or their province's centre, `approximate: true`), with
    this year's solar date computed from the Vietnamese lunar calendar."""
    box = clustering.parse_bbox(bbox) if bbox else None
    filters = selectors.parse_site_filters(province=province)
    year = year or date.today().year
    if not 1900 <= year <= 2100:
        raise InvalidInput(_("Năm phải nằm trong khoảng 1900 đến 2100."), code="invalid_year")
    return _geojson(request, selectors.festival_features(year, box, filters.province))
