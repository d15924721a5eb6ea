"""The public landing page: search, a map of Vietnam's heritage, this month's festivals, featured sites.

Anonymous visitors at `/` get this page; signed-in people get their staff home there, as before
(the shell's `ui:home`), and can still open this page at /portal/. Everything shown comes from the
heritage portal's selectors, which only see published records.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vhttdl.core.httpcache.marking import public_page
from vhttdl.core.ui import views as ui_views
from vhttdl.heritage.portal import selectors as heritage

FEATURED = 6
FESTIVALS_SHOWN = 8
SEARCH_KINDS = "heritage.site,heritage.festival,heritage.intangible"


def _search_box() -> str | None:
    try:
        return select_template(["search/_box.html"]).origin.template_name
    except TemplateDoesNotExist:
        return None


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against </script> in the text."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def _map_config() -> dict:
    return {
        "sitesUrl": reverse("api:heritage_sites_geojson"),
        "mapUrl": reverse("heritage:portal-map"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "basemapUrl": static("heritage/basemap/vietnam.geojson"),
        "basemapAttribution": _("Nền bản đồ: GSHHG, World Data Bank II; ranh giới tỉnh gần đúng"),
        "bounds": [[8.3, 102.1], [23.4, 109.6]],
        "text": {"cluster": _("%(count)s di tích"), "open": _("Xem trên bản đồ di sản")},
    }


@require_GET
def front_door(request: HttpRequest) -> HttpResponseBase:
    """`/`: the staff home for signed-in people, the public landing page for everyone else."""
    if request.user.is_authenticated:
        return ui_views.home(request)
    return landing(request)


@require_GET
@public_page("heritage")  # shared with anonymous visitors until heritage content changes (core.httpcache)
def landing(request: HttpRequest) -> HttpResponse:
    today = date.today()
    year, month, upcoming = today.year, today.month, False
    festivals, festivals_total = heritage.festivals_in_month(year, month, limit=FESTIVALS_SHOWN)
    if not festivals:  # none this month: the next month that has some
        following = heritage.next_festival_month(year, month)
        if following is not None:
            (year, month), upcoming = following, True
            festivals, festivals_total = heritage.festivals_in_month(year, month, limit=FESTIVALS_SHOWN)
    search_url = _url("search:page", "/search/")
    home_url = request.build_absolute_uri("/")
    json_ld = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": _("Di sản văn hóa Việt Nam"),
        "url": home_url,
        "inLanguage": ["vi", "en"],
        "publisher": {"@type": "GovernmentOrganization", "name": _("Bộ Văn hóa, Thể thao và Du lịch")},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": request.build_absolute_uri(search_url) + "?q={q}"},
            "query-input": "required name=q",
        },
    }
    context = {
        "search_box_template": _search_box(),
        "search_url": search_url,
        "search_kinds": SEARCH_KINDS,
        "map_config": _map_config(),
        "festivals": festivals,
        "festivals_total": festivals_total,
        "festivals_upcoming": upcoming,
        "month_name": MONTHS[month],
        "year": year,
        "featured": heritage.featured_sites(limit=FEATURED),
        "page_url": home_url,
        "json_ld": _json_ld(json_ld),
    }
    return render(request, "portal/landing.html", context)
