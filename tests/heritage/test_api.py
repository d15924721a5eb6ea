"""The public heritage API: sites by bounding box (clusters far out, sites close in), festival points."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.core.factories import AreaFactory, make_org
from tests.heritage.factories import FestivalFactory, SiteFactory, SiteTranslationFactory
from vhttdl.core.httpcache.generations import content_changed
from vhttdl.core.revisions.models import Revision
from vhttdl.heritage import clustering
from vhttdl.heritage.clustering import BBox
from vhttdl.heritage.models import CalendarKind, RecordStatus, Site, SiteRank, SiteType

URL = "/api/v1/heritage/sites.geojson"
VIETNAM = "102,8,110,24"

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    area = AreaFactory(code="25", name="Tỉnh Phú Thọ", latitude=21.3, longitude=105.2)
    return area, make_org("SO-PT", area=area)


def site(province, **kwargs):
    area, org = province
    return SiteFactory(organisation=org, province=area, **kwargs)


def get(client, **params):
    return client.get(URL, params)


def test_close_in_returns_published_sites_only(client, province):
    hung = site(province, code="DT-HUNG", name="Khu di tích lịch sử Đền Hùng", latitude=21.37, longitude=105.32,
                rank=SiteRank.SPECIAL_NATIONAL)
    site(province, code="DT-NHAP", name="Bản nháp", latitude=21.371, longitude=105.321, status=RecordStatus.DRAFT)
    site(province, code="DT-XA", latitude=10.8, longitude=106.7)  # outside the box
    response = get(client, bbox="105.2,21.3,105.4,21.45", zoom=14)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["meta"]["mode"] == "sites"
    assert [f["id"] for f in body["features"]] == ["DT-HUNG"]
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.32, 21.37]}
    props = feature["properties"]
    assert props["name"] == hung.name
    assert props["rank"] == "special_national" and props["rank_label"] == "Di tích quốc gia đặc biệt"
    assert props["province"] == "Tỉnh Phú Thọ"
    assert props["url"] == "/heritage/sites/DT-HUNG/"
    assert [item["code"] for item in body["list"]] == ["DT-HUNG"]


def test_far_out_groups_sites_into_grid_clusters_matching_the_python_rule(client, province):
    points = []
    for i in range(40):  # a dense group near Việt Trì and a second one near Hà Nội
        lon, lat = 105.30 + (i % 8) * 0.004, 21.30 + (i // 8) * 0.004
        points.append(site(province, latitude=lat, longitude=lon))
    for i in range(25):
        points.append(site(province, latitude=21.02 + (i % 5) * 0.003, longitude=105.84 + (i // 5) * 0.003))
    lonely = site(province, code="DT-LE", latitude=12.0, longitude=108.9)  # alone in its cell
    response = get(client, bbox=VIETNAM, zoom=6)
    body = response.json()
    assert response.status_code == 200
    assert body["meta"]["mode"] == "clusters"
    assert body["meta"]["total"] == 66
    clusters = [f for f in body["features"] if f["properties"]["kind"] == "cluster"]
    singles = [f for f in body["features"] if f["properties"]["kind"] == "site"]
    assert sum(f["properties"]["count"] for f in clusters) + len(singles) == 66
    assert [f["id"] for f in singles] == ["DT-LE"]
    size = clustering.cell_size(BBox(102, 8, 110, 24), 6)
    # The rule, counted here by hand: points sharing a grid cell form one cluster.
    members = Counter(clustering.cell_of(s.longitude, s.latitude, size) for s in [*points, lonely])
    assert sorted(f["properties"]["count"] for f in clusters) == sorted(n for n in members.values() if n > 1)
    for feature in clusters:
        west, south, east, north = feature["properties"]["bbox"]
        lon, lat = feature["geometry"]["coordinates"]
        assert west <= lon <= east and south <= lat <= north
    # the list beside the map holds sites even in cluster mode, at most LIST_LIMIT
    assert 0 < len(body["list"]) <= 50


def test_few_sites_in_separate_cells_come_back_as_sites_at_any_zoom(client, province):
    site(province, code="A", latitude=21.0, longitude=105.8)
    site(province, code="B", latitude=16.4, longitude=107.6)
    body = get(client, bbox=VIETNAM, zoom=5).json()
    assert body["meta"]["mode"] == "sites"
    assert sorted(f["id"] for f in body["features"]) == ["A", "B"]


def test_never_more_than_max_features(client, province, monkeypatch):
    monkeypatch.setattr(clustering, "MAX_FEATURES", 5)
    for i in range(8):
        site(province, latitude=21.0 + i * 0.0001, longitude=105.8)
    body = get(client, bbox="105.7,20.9,105.9,21.1", zoom=16).json()
    assert len(body["features"]) == 5
    assert body["meta"]["truncated"] is True


def test_filters_by_province_rank_and_type(client, province):
    other_area = AreaFactory(code="26", name="Tỉnh Khác")
    other = (other_area, make_org("SO-KH", area=other_area))
    site(province, code="P-NAT-HIS", latitude=21.01, longitude=105.81, rank=SiteRank.NATIONAL,
         site_type=SiteType.HISTORICAL)
    site(province, code="P-PRO-SCE", latitude=21.02, longitude=105.82, rank=SiteRank.PROVINCIAL,
         site_type=SiteType.SCENIC)
    site(other, code="O-NAT-HIS", latitude=21.03, longitude=105.83, rank=SiteRank.NATIONAL,
         site_type=SiteType.HISTORICAL)
    box = "105.7,20.9,105.9,21.1"

    def codes(**params):
        return sorted(f["id"] for f in get(client, bbox=box, zoom=15, **params).json()["features"])

    assert codes() == ["O-NAT-HIS", "P-NAT-HIS", "P-PRO-SCE"]
    assert codes(province="25") == ["P-NAT-HIS", "P-PRO-SCE"]
    assert codes(rank="national") == ["O-NAT-HIS", "P-NAT-HIS"]
    assert codes(rank="national,provincial", province="25") == ["P-NAT-HIS", "P-PRO-SCE"]
    assert codes(type="scenic") == ["P-PRO-SCE"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "invalid_bbox"),
        ({"bbox": "1,2,3"}, "invalid_bbox"),
        ({"bbox": "110,8,102,24"}, "invalid_bbox"),
        ({"bbox": "102,8,110,1e999"}, "invalid_bbox"),
        ({"bbox": "-500,8,110,24"}, "invalid_bbox"),
        ({"bbox": "' OR 1=1 --,8,110,24"}, "invalid_bbox"),
        ({"bbox": VIETNAM, "zoom": "99"}, "invalid_zoom"),
        ({"bbox": VIETNAM, "rank": "bogus"}, "invalid_rank"),
        ({"bbox": VIETNAM, "type": "<b>x</b>"}, "invalid_type"),
        ({"bbox": VIETNAM, "province": "99999"}, "invalid_province"),
    ],
)
def test_bad_parameters_get_400_with_a_clear_message(client, params, code):
    response = get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert "<b>" not in body["message"]


def test_whole_world_box_is_fine(client, province):
    site(province)
    response = get(client, bbox="-180,-90,180,90")
    assert response.status_code == 200


def test_names_in_english_when_translated(client, province):
    translated = site(province, code="T1", latitude=21.01, longitude=105.81, name="Chùa Một Cột")
    SiteTranslationFactory(site=translated, name="One Pillar Pagoda")
    site(province, code="T2", latitude=21.02, longitude=105.82, name="Đình Thử")
    body = client.get(URL, {"bbox": "105.7,20.9,105.9,21.1", "zoom": 15}, HTTP_ACCEPT_LANGUAGE="en").json()
    names = {f["id"]: f["properties"]["name"] for f in body["features"]}
    assert names == {"T1": "One Pillar Pagoda", "T2": "Đình Thử"}  # no translation: Vietnamese


def test_query_count_does_not_grow_with_sites(client, province, django_assert_num_queries):
    for i in range(30):
        site(province, latitude=21.0 + i * 0.001, longitude=105.8)
    box = "105.7,20.9,105.9,21.1"
    with django_assert_num_queries(3):  # freshness token, building the point index, provinces' names
        assert len(get(client, bbox=box, zoom=15).json()["features"]) == 30
    with django_assert_num_queries(2):  # the index is reused while nothing changed
        get(client, bbox=box, zoom=15)
    with django_assert_num_queries(3):  # + resolving the province filter
        get(client, bbox=box, zoom=15, province="25")
    with django_assert_num_queries(3):  # + English names
        client.get(URL, {"bbox": box, "zoom": 15}, HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_num_queries(2):
        body = get(client, bbox=VIETNAM, zoom=8).json()
    assert body["meta"]["mode"] == "clusters"
    for i in range(30):
        site(province, latitude=12.0 + i * 0.01, longitude=108.9)
    content_changed("heritage")  # made behind the services' back: tell the public-page cache by hand
    with django_assert_num_queries(3):  # a new site: the index is rebuilt once
        assert get(client, bbox=VIETNAM, zoom=8).json()["meta"]["total"] == 60


def test_the_index_follows_publication(client, province):
    hidden = site(province, code="DT-AN", latitude=21.01, longitude=105.81, status=RecordStatus.DRAFT)
    box = {"bbox": "105.7,20.9,105.9,21.1", "zoom": 15}
    assert get(client, **box).json()["features"] == []
    hidden.status = RecordStatus.PUBLISHED
    hidden.save()
    Revision.objects.create(content_type=ContentType.objects.get_for_model(Site), object_id=hidden.pk, number=2,
                            action="published", at=timezone.now())
    assert [f["id"] for f in get(client, **box).json()["features"]] == ["DT-AN"]


def test_festival_points_with_this_years_date(client, province):
    area, org = province
    hung = site(province, code="DT-HUNG", latitude=21.37, longitude=105.32)
    FestivalFactory(organisation=org, province=area, code="LH-HUNG", name="Giỗ Tổ Hùng Vương", month=3, day=10,
                    site=hung)
    FestivalFactory(organisation=org, province=area, code="LH-TINH", name="Lễ hội tỉnh", month=1, day=15)
    FestivalFactory(organisation=org, province=area, code="LH-DL", calendar=CalendarKind.SOLAR, month=9, day=2)
    FestivalFactory(organisation=org, province=area, code="LH-NHAP", status=RecordStatus.DRAFT)
    response = client.get("/api/v1/heritage/festivals.geojson", {"year": 2026})
    assert response.status_code == 200
    features = {f["id"]: f for f in response.json()["features"]}
    assert set(features) == {"LH-HUNG", "LH-TINH", "LH-DL"}
    assert features["LH-HUNG"]["properties"]["date"] == "2026-04-26"
    assert features["LH-HUNG"]["geometry"]["coordinates"] == [105.32, 21.37]
    assert features["LH-HUNG"]["properties"]["approximate"] is False
    assert features["LH-TINH"]["geometry"]["coordinates"] == [105.2, 21.3]  # the province's centre
    assert features["LH-TINH"]["properties"]["approximate"] is True
    assert features["LH-DL"]["properties"]["date"] == "2026-09-02"
    assert client.get("/api/v1/heritage/festivals.geojson", {"year": 3000}).status_code == 400
    assert client.get("/api/v1/heritage/festivals.geojson", {"bbox": "1,2"}).status_code == 400


def test_province_filter_uses_the_current_unit_when_a_former_one_shares_the_code(client, province):
    from datetime import date

    AreaFactory(code="25", name="Tỉnh Phú Thọ (cũ)", valid_to=date(2025, 6, 30))
    site(province, code="NOW", latitude=21.01, longitude=105.81)
    body = get(client, bbox="105.7,20.9,105.9,21.1", zoom=15, province="25").json()
    assert [f["id"] for f in body["features"]] == ["NOW"]


def test_festival_layer_follows_new_festivals_and_filters(client, province, django_assert_max_num_queries):
    area, org = province
    FestivalFactory(organisation=org, province=area, code="LH-A", month=1, day=15)
    url = "/api/v1/heritage/festivals.geojson"
    assert [f["id"] for f in client.get(url, {"year": 2026}).json()["features"]] == ["LH-A"]
    with django_assert_max_num_queries(1):  # kept in memory: only the freshness check
        client.get(url, {"year": 2026, "bbox": "105,21,106,22"})
    FestivalFactory(organisation=org, province=area, code="LH-B", month=2, day=1)
    assert sorted(f["id"] for f in client.get(url, {"year": 2026}).json()["features"]) == ["LH-A", "LH-B"]
    assert client.get(url, {"year": 2026, "bbox": "100,10,101,11"}).json()["features"] == []
    assert client.get(url, {"year": 2026, "province": "25"}).json()["meta"]["returned"] == 2
    english = client.get(url, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en").json()["features"]
    assert english[0]["properties"]["name"].startswith("Test festival")
