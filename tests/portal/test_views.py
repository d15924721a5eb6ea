"""The public landing page at `/`: search, map, this month's festivals, featured sites, the way to log in."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from tests.core.factories import AreaFactory, make_org, person
from tests.heritage.factories import FestivalFactory
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.models import CalendarKind, RecordStatus, SiteRank, SiteType
from vhttdl.heritage.services import site_create, site_translation_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def heritage(db):
    area = AreaFactory(code="46", name="Thành phố Huế", short_name="Huế", latitude=16.46, longitude=107.59)
    org = make_org("SO-46", area=area)

    def site(code, name, rank=SiteRank.SPECIAL_NATIONAL, **extra):
        return site_create(actor=SYSTEM, publish=extra.pop("publish", True), data={
            "code": code, "name": name, "rank": rank, "site_type": SiteType.ARCHITECTURAL_ARTISTIC,
            "province": area, "organisation": org, "latitude": 16.47, "longitude": 107.58,
            "description": f"Mô tả {name}.", **extra})

    kinh_thanh = site("DT-KT", "Kinh thành Huế", unesco_status="world_heritage")
    site_translation_set(actor=SYSTEM, site=kinh_thanh, language="en", name="Hue Citadel",
                         description="The Nguyen dynasty capital.", version=kinh_thanh.version)
    site("DT-TM", "Chùa Thiên Mụ")
    site("DT-NHAP", "Di tích nháp", publish=False)
    site("DT-TINH", "Đình làng", rank=SiteRank.PROVINCIAL)
    today = date.today()
    FestivalFactory(organisation=org, province=area, name="Lễ hội tháng này", name_en="This month's festival",
                    calendar=CalendarKind.SOLAR, month=today.month, day=min(today.day, 28))
    other_month = 1 + today.month % 12
    FestivalFactory(organisation=org, province=area, name="Lễ hội tháng khác", calendar=CalendarKind.SOLAR,
                    month=other_month, day=15)
    FestivalFactory(organisation=org, province=area, name="Lễ hội nháp", calendar=CalendarKind.SOLAR,
                    month=today.month, day=1, status=RecordStatus.DRAFT)
    return area


def test_anonymous_visitors_get_the_landing_page(client, heritage, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1 id=\"landing-title\">Khám phá di sản văn hóa Việt Nam</h1>" in html
    # The platform search box, the map and the way in for staff (one click).
    assert 'role="search"' in html and 'id="landing-search-q"' in html
    assert 'id="landing-map"' in html and "heritage/basemap.js" in html
    assert f'href="{reverse("accounts:login")}"' in html
    # This month's published festivals only.
    names = [item.name for item in response.context["festivals"]]
    assert "Lễ hội tháng này" in names and "Lễ hội tháng khác" not in names and "Lễ hội nháp" not in names
    # Featured: special national relics, published, World Heritage first.
    featured = [site.code for site in response.context["featured"]]
    assert featured[0] == "DT-KT" and "DT-TM" in featured
    assert "DT-NHAP" not in featured and "DT-TINH" not in featured


def test_signed_in_people_get_their_staff_home_at_the_root(client, tree):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    response = client.get("/")
    assert response.context["summary"].primary_unit == tree.dept_a
    assert "landing-title" not in response.content.decode()
    # ... and can still open the public page.
    assert "landing-title" in client.get(reverse("portal:landing")).content.decode()


def test_english_landing_page(client, heritage):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert "Discover Vietnam's cultural heritage" in html and 'lang="en"' in html
    assert "Festivals this month" in html and "This month&#x27;s festival" in html
    assert ">Hue Citadel</a>" in html and "The Nguyen dynasty capital." in html
    assert "Sign in for officials" in html
    assert 'content="en_US"' in html


def test_schema_org_and_open_graph(client, heritage):
    html = client.get("/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "WebSite" and data["url"] == "http://testserver/"
    assert data["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={q}"
    for prop in ("og:type", "og:title", "og:description", "og:url", "og:locale", "og:site_name"):
        assert f'property="{prop}"' in html
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_landing_page_without_heritage_data(client):
    html = client.get("/").content.decode()
    assert "Chưa có lễ hội nào được công bố trong mười hai tháng tới." in html
    assert "featured-title" not in html


def test_a_month_without_festivals_shows_the_next_ones(client, db):
    area = AreaFactory(code="01", name="Thành phố Hà Nội")
    org = make_org("SO-01", area=area)
    following = 1 + date.today().month % 12
    FestivalFactory(organisation=org, province=area, name="Lễ hội tháng sau", calendar=CalendarKind.SOLAR,
                    month=following, day=10)
    response = client.get("/")
    assert response.context["festivals_upcoming"] is True
    assert [item.name for item in response.context["festivals"]] == ["Lễ hội tháng sau"]
    assert "Lễ hội sắp tới" in response.content.decode()


def test_nothing_imports_the_portal():
    """Top floor: no other app may import it (import-linter holds it in CI; this is the quick check)."""
    from pathlib import Path

    import vhttdl

    root = Path(vhttdl.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "vhttdl.portal" in path.read_text("utf-8")
                 and not str(path.relative_to(root)).startswith(("portal/", "config/"))]
    assert offenders == []
