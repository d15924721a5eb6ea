"""The public heritage portal: the map, a page per site, the festival calendar and QR boards.

No login anywhere here; every read goes through `portal.selectors`, which only sees published records.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vhttdl.core.errors import DomainError
from vhttdl.core.httpcache.marking import public_page
from vhttdl.heritage import qr
from vhttdl.heritage.models import Media, SiteRank, SiteType
from vhttdl.heritage.portal import selectors

NEARBY_KM = 20
SEARCH_KINDS = "heritage.site,heritage.festival,heritage.intangible"  # what the portal's search box looks for


def _search_box() -> str | None:
    """The platform search box partial, when the search module provides one."""
    try:
        return select_template(["search/_box.html"]).origin.template_name
    except TemplateDoesNotExist:
        return None


def _search_url() -> str:
    try:
        return reverse("search:page")
    except NoReverseMatch:
        return "/search/"


def _portal_context(request: HttpRequest, section: str) -> dict:
    return {"portal_section": section, "search_box_template": _search_box(), "search_url": _search_url(),
            "search_kinds": SEARCH_KINDS}


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against </script> in the text."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


@require_GET
@public_page("heritage")
def map_page(request: HttpRequest) -> HttpResponse:
    filters_error = ""
    try:
        filters = selectors.parse_site_filters(
            province=request.GET.get("province"), rank=request.GET.get("rank"),
            site_type=request.GET.get("type"),
        )
    except DomainError as exc:
        filters, filters_error = selectors.SiteFilters(), exc.message
    config = {
        "sitesUrl": reverse("api:heritage_sites_geojson"),
        "festivalsUrl": reverse("api:heritage_festivals_geojson"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        # Without a tile server, the base map shipped in our static files (heritage/static/heritage/basemap/).
        "basemapUrl": static("heritage/basemap/vietnam.geojson"),
        "basemapAttribution": _("Nền bản đồ: GSHHG, World Data Bank II; ranh giới tỉnh gần đúng"),
        "year": date.today().year,
        "center": [16.0, 106.0],
        "zoom": 5,
        "text": {
            "sites": _("di tích"),
            "inView": _("%(count)s di tích trong khung nhìn"),
            "listedTop": _("Đang liệt kê %(shown)s di tích cấp cao nhất; phóng to để xem tất cả."),
            "truncated": _("Quá nhiều di tích: chỉ hiện %(shown)s. Hãy phóng to hoặc lọc thêm."),
            "none": _("Không có di tích nào trong khung nhìn. Hãy kéo bản đồ hoặc bỏ bớt bộ lọc."),
            "cluster": _("%(count)s di tích: bấm để phóng to"),
            "error": _("Không tải được dữ liệu bản đồ."),
            "loading": _("Đang tải…"),
            "festival": _("Lễ hội"),
            "approximate": _("vị trí gần đúng (trung tâm tỉnh)"),
            "open": _("Xem trang di tích"),
        },
    }
    provinces = list(selectors.current_provinces())
    context = {
        **_portal_context(request, "map"),
        "provinces": provinces,
        "province_points": [
            {"name": area.name, "lat": area.latitude, "lon": area.longitude}
            for area in provinces
            if area.latitude is not None and area.longitude is not None
        ],
        "ranks": SiteRank.choices,
        "types": SiteType.choices,
        "filters": filters,
        "filters_error": filters_error,
        "map_config": config,
    }
    return render(request, "heritage/portal/map.html", context)


def _image_url(media: Media, field: str) -> str:
    file = getattr(media, field) or media.file
    return file.url if file else ""


@require_GET
@public_page("heritage")
def site_page(request: HttpRequest, code: str) -> HttpResponse:
    site = selectors.get_public_site(code)
    texts = selectors.site_texts(site)
    page_url = qr.public_url(request.path, request)
    images = [
        {"thumb": _image_url(media, "thumb_small"), "large": _image_url(media, "thumb_large"),
         "full": media.file.url if media.file else "", "caption": media.caption_in(), "credit": media.credit}
        for media in site.images
        if media.file
    ]
    json_ld = {
        "@context": "https://schema.org",
        "@type": ["TouristAttraction", "LandmarksOrHistoricalBuildings"],
        "name": texts.name,
        "description": qr.short_text(texts.description or texts.history, 500),
        "url": page_url,
        "identifier": site.code,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": site.address,
            "addressLocality": site.commune.name if site.commune else "",
            "addressRegion": site.province.name,
            "addressCountry": "VN",
        },
    }
    if site.latitude is not None:
        json_ld["geo"] = {"@type": "GeoCoordinates", "latitude": site.latitude, "longitude": site.longitude}
    if images:
        json_ld["image"] = [request.build_absolute_uri(image["full"]) for image in images]
    context = {
        **_portal_context(request, "site"),
        "site": site,
        "texts": texts,
        "images": images,
        "links": site.links,
        "decisions": list(site.decisions.all()),
        "nearby": selectors.nearby_sites(site, km=NEARBY_KM),
        "nearby_km": NEARBY_KM,
        "page_url": page_url,
        "og_image": json_ld.get("image", [""])[0],
        "json_ld": _json_ld(json_ld),
        "festivals": [{"festival": festival, "name": festival.translated("name")}
                      for festival in site.festivals.all() if festival.is_published],
    }
    return render(request, "heritage/portal/site.html", context)


@require_GET
@public_page("heritage")
def festival_calendar(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        year = int(request.GET.get("year") or date.today().year)
    except ValueError:
        year, error = date.today().year, _("Năm không hợp lệ; đang hiển thị năm nay.")
    province = None
    months: list = []
    try:
        province = selectors.parse_site_filters(province=request.GET.get("province")).province
        months = selectors.festival_calendar(year, province=province)
    except DomainError as exc:
        error = exc.message
        year = date.today().year
        months = selectors.festival_calendar(year)
    context = {
        **_portal_context(request, "festivals"),
        "year": year,
        "years": [year - 1, year + 1],
        "months": months,
        # Sections by Gregorian month, named as readers name them ("Tháng 2", "February").
        "month_sections": [(month, MONTHS[month], items) for month, items in months],
        # Festivals, not dates: one held twice in a year (lunar months 11–12) counts once.
        "count": len({item.festival.pk for _month, items in months for item in items}),
        "provinces": selectors.current_provinces(),
        "province": province,
        "error": error,
    }
    return render(request, "heritage/portal/festivals.html", context)


def _board(request: HttpRequest, code: str) -> qr.Board:
    site = selectors.get_public_site(code)
    texts = selectors.site_texts(site)
    return qr.Board(
        title=texts.name,
        rank=str(SiteRank(site.rank).label),
        text=qr.short_text(texts.description or texts.history),
        url=qr.public_url(reverse("heritage:portal-site", args=[site.code]), request),
        code=site.code,
        footer=_("Quét mã để xem thông tin di tích"),
    )


def _paper(request: HttpRequest) -> str:
    size = (request.GET.get("size") or "a5").lower()
    if size not in qr.PAGE_SIZES_MM:
        raise Http404(_("Khổ giấy chỉ có thể là A5 hoặc A4."))
    return size


@require_GET
@public_page("heritage")
def site_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    response = HttpResponse(qr.board_svg(board, _paper(request)), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="qr-{board.code}.svg"'
    return response


@require_GET
@public_page("heritage")
def site_qr_pdf(request: HttpRequest, code: str) -> HttpResponse:
    board = _board(request, code)
    response = HttpResponse(qr.board_pdf(board, _paper(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="qr-{board.code}.pdf"'
    return response
