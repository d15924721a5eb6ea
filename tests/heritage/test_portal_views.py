"""The public portal's pages, as an anonymous visitor sees them."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile

from tests.core.factories import AreaFactory, make_org
from tests.heritage.factories import FestivalFactory, SiteFactory, SiteTranslationFactory
from vhttdl.heritage.models import CalendarKind, Media, RecordStatus, SiteRank

pytestmark = pytest.mark.django_db


@pytest.fixture
def phu_tho():
    area = AreaFactory(code="25", name="Tỉnh Phú Thọ", latitude=21.3, longitude=105.2)
    return area, make_org("SO-PT", area=area)


@pytest.fixture
def den_hung(phu_tho):
    area, org = phu_tho
    return SiteFactory(
        organisation=org, province=area, code="DT-HUNG", name="Khu di tích lịch sử Đền Hùng",
        rank=SiteRank.SPECIAL_NATIONAL, latitude=21.3667, longitude=105.3236,
        address="Núi Nghĩa Lĩnh", description="Nơi thờ các Vua Hùng.", history="Theo truyền thuyết...",
        directions="Từ Hà Nội đi cao tốc Nội Bài – Lào Cai khoảng 90 km.",
    )


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_map_page_for_anonymous_visitors(client, phu_tho):
    response = client.get("/heritage/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="map"' in html and "leaflet/leaflet.js" in html and "heritage/portal-map.js" in html
    assert '<label for="f-province">' in html and '<label for="f-rank">' in html and '<label for="f-type">' in html
    assert "Tỉnh Phú Thọ" in html
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    assert config["sitesUrl"] == "/api/v1/heritage/sites.geojson"
    assert config["tileUrl"] == ""  # closed networks: no tile server by default, the offline base map instead
    assert config["basemapUrl"] == "/static/heritage/basemap/vietnam.geojson" and "heritage/basemap.js" in html
    assert 'href="/heritage/festivals/"' in html  # the portal's own top links


def test_map_page_with_a_tile_server(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    html = client.get("/heritage/").content.decode()
    assert "tiles.example.vn" in html  # basemap.js draws the tiles instead of the offline base map


def test_map_page_with_a_bad_filter_says_so(client):
    response = client.get("/heritage/", {"rank": "<script>"})
    assert response.status_code == 200
    assert "Cấp xếp hạng không hợp lệ" in response.content.decode()
    assert "<script>" not in response.content.decode().split('id="map-config"')[0].split("</header>")[1]


def test_site_page(client, den_hung, phu_tho, django_assert_max_num_queries):
    area, org = phu_tho
    near = SiteFactory(organisation=org, province=area, code="DT-GAN", name="Đình Hùng Lô", latitude=21.35,
                       longitude=105.35)
    SiteFactory(organisation=org, province=area, code="DT-XA", name="Xa lắm", latitude=10.8, longitude=106.7)
    SiteFactory(organisation=org, province=area, code="DT-NHAP", name="Nháp gần", latitude=21.366,
                longitude=105.323, status=RecordStatus.DRAFT)
    FestivalFactory(organisation=org, province=area, site=den_hung, name="Giỗ Tổ Hùng Vương", month=3, day=10)
    with django_assert_max_num_queries(9):
        response = client.get("/heritage/sites/DT-HUNG/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Khu di tích lịch sử Đền Hùng</h1>" in html
    assert "Di tích quốc gia đặc biệt" in html
    assert "Nơi thờ các Vua Hùng." in html and "cao tốc Nội Bài" in html
    assert 'href="geo:21.366700,105.323600?q=' in html
    assert "Giỗ Tổ Hùng Vương" in html
    # nearby: within 20 km, published only, nearest first
    assert near.name in html and "Xa lắm" not in html and "Nháp gần" not in html
    data = json_ld(html)
    assert "TouristAttraction" in data["@type"] and "LandmarksOrHistoricalBuildings" in data["@type"]
    assert data["name"] == "Khu di tích lịch sử Đền Hùng"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 21.3667, "longitude": 105.3236}
    assert data["address"]["addressRegion"] == "Tỉnh Phú Thọ" and data["address"]["addressCountry"] == "VN"
    assert data["url"] == "http://testserver/heritage/sites/DT-HUNG/"
    assert '<meta property="og:title" content="Khu di tích lịch sử Đền Hùng">' in html
    assert '<meta property="og:url" content="http://testserver/heritage/sites/DT-HUNG/">' in html
    assert 'href="/heritage/sites/DT-HUNG/qr.pdf"' in html


def test_site_page_photos(client, den_hung, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    media = Media(site=den_hung, kind=Media.Kind.IMAGE, caption="Cổng đền", credit="Sở VHTTDL")
    media.file.save("cong.jpg", ContentFile(b"jpeg"), save=False)
    media.thumb_large.save("cong-large.jpg", ContentFile(b"jpeg"), save=False)
    media.save()
    html = client.get("/heritage/sites/DT-HUNG/").content.decode()
    assert "cong-large" in html and "Cổng đền" in html
    assert json_ld(html)["image"][0].startswith("http://testserver/media/")
    assert '<meta property="og:image"' in html


def test_json_ld_cannot_be_broken_out_of(client, phu_tho):
    area, org = phu_tho
    SiteFactory(organisation=org, province=area, code="DT-X", name="Đình </script><script>alert(1)</script>")
    html = client.get("/heritage/sites/DT-X/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "Đình </script><script>alert(1)</script>"


@pytest.mark.parametrize("code", ["KHONG-CO", "DT-NHAP"])
def test_unknown_or_draft_sites_are_404(client, phu_tho, code):
    area, org = phu_tho
    SiteFactory(organisation=org, province=area, code="DT-NHAP", status=RecordStatus.DRAFT)
    assert client.get(f"/heritage/sites/{code}/").status_code == 404
    assert client.get(f"/heritage/sites/{code}/qr.svg").status_code == 404
    assert client.get(f"/heritage/sites/{code}/qr.pdf").status_code == 404


def test_english_page_when_translated(client, den_hung):
    SiteTranslationFactory(site=den_hung, name="Hung Kings Temple", description="Where the Hung Kings are worshipped.",
                           history="Legend says...", directions="From Hanoi take the expressway.")
    client.cookies["django_language"] = "en"
    html = client.get("/heritage/sites/DT-HUNG/").content.decode()
    assert "<h1>Hung Kings Temple</h1>" in html
    assert '<html lang="en">' in html
    assert 'data-testid="translation-fallback"' not in html
    assert json_ld(html)["name"] == "Hung Kings Temple"


def test_english_falls_back_to_vietnamese_with_a_note(client, den_hung):
    client.cookies["django_language"] = "en"
    html = client.get("/heritage/sites/DT-HUNG/").content.decode()
    assert "<h1>Khu di tích lịch sử Đền Hùng</h1>" in html
    assert "No English translation yet; showing the Vietnamese text" in html


def test_partial_translation_falls_back_field_by_field(client, den_hung):
    SiteTranslationFactory(site=den_hung, name="Hung Kings Temple", description="", history="", directions="")
    client.cookies["django_language"] = "en"
    html = client.get("/heritage/sites/DT-HUNG/").content.decode()
    assert "<h1>Hung Kings Temple</h1>" in html
    assert "Nơi thờ các Vua Hùng." in html
    assert 'data-testid="translation-fallback"' in html


def test_festival_calendar_groups_by_month_with_lunar_dates(client, phu_tho, den_hung):
    area, org = phu_tho
    FestivalFactory(organisation=org, province=area, site=den_hung, name="Giỗ Tổ Hùng Vương", month=3, day=10)
    FestivalFactory(organisation=org, province=area, name="Tết Nguyên tiêu", month=1, day=15)
    FestivalFactory(organisation=org, province=area, name="Quốc khánh", calendar=CalendarKind.SOLAR, month=9, day=2)
    FestivalFactory(organisation=org, province=area, name="Lễ hội nháp", status=RecordStatus.DRAFT)
    other = AreaFactory(code="01", name="Thành phố Hà Nội")
    FestivalFactory(organisation=make_org("SO-HN", area=other), province=other, name="Hội Gióng", month=4, day=6)
    response = client.get("/heritage/festivals/", {"year": 2026})
    assert response.status_code == 200
    months = response.context["months"]
    assert [month for month, _items in months] == [3, 4, 5, 9]
    by_name = {item.name: item for _m, items in months for item in items}
    assert by_name["Giỗ Tổ Hùng Vương"].starts_on == date(2026, 4, 26)
    assert by_name["Giỗ Tổ Hùng Vương"].lunar_label == "10/03"
    assert by_name["Tết Nguyên tiêu"].starts_on == date(2026, 3, 3)
    assert by_name["Quốc khánh"].lunar_label == ""
    assert "Lễ hội nháp" not in by_name
    html = response.content.decode()
    assert "26/04/2026" in html and "Lịch lễ hội năm 2026" in html
    assert 'href="/heritage/sites/DT-HUNG/"' in html
    filtered = client.get("/heritage/festivals/", {"year": 2026, "province": "01"})
    assert [item.name for _m, items in filtered.context["months"] for item in items] == ["Hội Gióng"]


def test_festival_calendar_bad_input(client):
    response = client.get("/heritage/festivals/", {"year": "abc"})
    assert response.status_code == 200 and "Năm không hợp lệ" in response.content.decode()
    response = client.get("/heritage/festivals/", {"year": "1500"})
    assert response.status_code == 200 and "1900 đến 2100" in response.content.decode()
    response = client.get("/heritage/festivals/", {"province": "zz"})
    assert response.status_code == 200 and "Không có tỉnh" in response.content.decode()


def test_qr_board_svg_and_pdf(client, den_hung, settings):
    svg = client.get("/heritage/sites/DT-HUNG/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert "Khu di tích lịch sử Đền Hùng" in text and "http://testserver/heritage/sites/DT-HUNG/" in text
    pdf = client.get("/heritage/sites/DT-HUNG/qr.pdf", {"size": "a4"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    settings.PUBLIC_BASE_URL = "https://disan.bvhttdl.gov.vn"
    text = client.get("/heritage/sites/DT-HUNG/qr.svg").content.decode()
    assert "https://disan.bvhttdl.gov.vn/heritage/sites/DT-HUNG/" in text
    assert client.get("/heritage/sites/DT-HUNG/qr.pdf", {"size": "letter"}).status_code == 404


def test_festival_calendar_counts_festivals_not_dates_and_names_months(client, phu_tho):
    """Lunar 20/11 falls twice in 2026 (8 January and 28 December): one festival, two dates."""
    area, org = phu_tho
    FestivalFactory(organisation=org, province=area, name="Lễ hội cuối năm", month=11, day=20)
    FestivalFactory(organisation=org, province=area, name="Tết Nguyên tiêu", month=1, day=15)
    FestivalFactory(organisation=org, province=area, name="Lễ hội nháp", status=RecordStatus.DRAFT)
    response = client.get("/heritage/festivals/", {"year": 2026})
    assert response.context["count"] == 2
    assert [(month, str(name)) for month, name, _items in response.context["month_sections"]] == [
        (1, "Tháng 1"), (3, "Tháng 3"), (12, "Tháng 12")]
    html = response.content.decode()
    assert "2 lễ hội" in html and ">Tháng 12</h2>" in html
    client.cookies["django_language"] = "en"
    html = client.get("/heritage/festivals/", {"year": 2026}).content.decode()
    assert ">January</h2>" in html and ">March</h2>" in html and ">December</h2>" in html
    assert "Month " not in html and "2 festivals" in html
