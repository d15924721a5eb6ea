"""Back-office pages: lists (scoped, filtered, constant queries), create, edit (409 on stale),
publish, media upload, revisions, import report and commit, exports, 403 for other provinces."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.factories import person
from tests.heritage.factories import FestivalFactory, IntangibleFactory, SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.core.revisions.models import Revision
from vhttdl.heritage.models import Media, RecordStatus, Site

pytestmark = pytest.mark.django_db


def png_bytes(size=(640, 480)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (164, 22, 26)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def officer(tree, places):
    return person(Role.DEPARTMENT_OFFICER, tree.dept_a)


@pytest.fixture
def leader(tree):
    return person(Role.DEPARTMENT_LEADER, tree.dept_a)


def test_list_shows_only_records_in_scope_with_constant_queries(client, officer, tree, django_assert_num_queries):
    client.force_login(officer)
    url = reverse("heritage:manage_sites")
    SiteFactory.create_batch(2, organisation=tree.dept_a)
    SiteFactory(organisation=tree.dept_b, name="Đình của tỉnh Bình")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert response.status_code == 200
    assert "Đình của tỉnh Bình" not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 2
    SiteFactory.create_batch(10, organisation=tree.dept_a)
    SiteFactory(organisation=tree.museum_a)  # a unit below the department: in scope
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 13


def test_ministry_sees_every_province(client, tree):
    SiteFactory(organisation=tree.dept_a)
    SiteFactory(organisation=tree.dept_b)
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    response = client.get(reverse("heritage:manage_sites"))
    assert response.context["page_obj"].paginator.count == 2


def test_filters_and_htmx_partial(client, officer, tree):
    SiteFactory(organisation=tree.dept_a, name="Chùa Một", rank="special_national", site_type="historical")
    SiteFactory(organisation=tree.dept_a, name="Đình Hai", rank="provincial", site_type="scenic",
                status=RecordStatus.DRAFT)
    client.force_login(officer)
    url = reverse("heritage:manage_sites")
    assert client.get(url, {"rank": "special_national"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"status": "draft"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"q": "Chùa"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"province": "82"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"type": "historical"}).context["page_obj"].paginator.count == 1
    partial = client.get(url, {"q": "Đình"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "Đình Hai" in body and "<html" not in body


@pytest.mark.parametrize("kind", ["intangible", "festivals"])
def test_other_lists_render_with_constant_queries(client, officer, tree, kind, django_assert_num_queries):
    factory = IntangibleFactory if kind == "intangible" else FestivalFactory
    factory(organisation=tree.dept_a)
    client.force_login(officer)
    url = reverse("heritage:manage_list", args=[kind])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    factory.create_batch(5, organisation=tree.dept_a)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 6


def site_post(tree, **extra):
    data = {"code": "81-0001", "name": "Đền An", "rank": "national", "site_type": "historical",
            "province": tree.area_a.pk, "commune_code": "81001", "latitude": "21.03", "longitude": "105.85",
            "condition": "good", "unesco_status": "none"}
    data.update(extra)
    return data


def test_create_then_edit_with_stale_version_gets_409(client, officer, tree):
    client.force_login(officer)
    response = client.post(reverse("heritage:manage_create", args=["sites"]), site_post(tree))
    site = Site.objects.get(code="81-0001")
    assert response.status_code == 302 and response["Location"].endswith(f"/sites/{site.pk}/")
    assert site.commune.code == "81001" and site.status == RecordStatus.DRAFT
    edit = reverse("heritage:manage_edit", args=["sites", site.pk])
    assert client.post(edit, site_post(tree, name="Đền An (sửa 1)", version=1)).status_code == 302
    response = client.post(edit, site_post(tree, name="Đền An (sửa 2)", version=1))
    assert response.status_code == 409
    assert "Dữ liệu đã được người khác thay đổi" in response.content.decode()
    site.refresh_from_db()
    assert site.name == "Đền An (sửa 1)" and site.version == 2


def test_create_with_coordinates_in_the_sea_off_another_country_shows_the_reason(client, officer, tree):
    client.force_login(officer)
    response = client.post(reverse("heritage:manage_create", args=["sites"]),
                           site_post(tree, latitude="18.0", longitude="109.3"))
    assert response.status_code == 400
    assert "nằm ngoài lãnh thổ Việt Nam" in response.content.decode()
    assert not Site.objects.exists()


def test_create_with_invalid_geojson_shows_the_reason(client, officer, tree):
    client.force_login(officer)
    response = client.post(reverse("heritage:manage_create", args=["sites"]),
                           site_post(tree, area_geojson='{"type": "Polygon", "coordinates": [[[105.8, 21.0]]]}'))
    assert response.status_code == 400
    assert "ít nhất 4 điểm" in response.content.decode()
    assert not Site.objects.exists()


def test_create_with_a_commune_of_another_province_is_refused(client, officer, tree):
    client.force_login(officer)
    response = client.post(reverse("heritage:manage_create", args=["sites"]), site_post(tree, commune_code="82001"))
    assert response.status_code == 400 and "không thuộc" in response.content.decode()


def test_publish_button_needs_publish_right(client, officer, leader, tree):
    site = SiteFactory(organisation=tree.dept_a, status=RecordStatus.DRAFT)
    url = reverse("heritage:manage_publish", args=["sites", site.pk])
    client.force_login(officer)
    assert client.post(url).status_code == 403
    client.force_login(leader)
    response = client.post(url, {"version": site.version}, follow=True)
    assert "Đã công bố" in response.content.decode()
    site.refresh_from_db()
    assert site.status == RecordStatus.PUBLISHED


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("manage_detail", "get", ["sites"]), ("manage_edit", "get", ["sites"]), ("manage_edit", "post", ["sites"]),
        ("manage_publish", "post", ["sites"]), ("manage_unpublish", "post", ["sites"]),
        ("manage_delete", "post", ["sites"]), ("manage_media_add", "post", ["sites"]),
        ("manage_revisions", "get", ["sites"]), ("manage_site_translation", "post", []),
        ("manage_site_decision", "post", []),
    ],
)
def test_another_provinces_record_is_403_everywhere(client, tree, name, method, args):
    draft = SiteFactory(organisation=tree.dept_b, status=RecordStatus.DRAFT, name="Bản nháp bí mật")
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    response = getattr(client, method)(reverse(f"heritage:{name}", args=[*args, draft.pk]), {"name": "X"})
    assert response.status_code == 403
    assert "Bản nháp bí mật" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "Bản nháp bí mật" and draft.status == RecordStatus.DRAFT


def test_unknown_record_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("heritage:manage_detail", args=["sites", 999999])).status_code == 404


def test_people_without_heritage_rights_get_403(client, tree):
    client.force_login(person(Role.APPLICANT, tree.ministry))
    assert client.get(reverse("heritage:manage_sites")).status_code == 403
    assert client.get(reverse("heritage:manage_import")).status_code == 403


def test_detail_and_revisions_pages(client, officer, tree):
    client.force_login(officer)
    client.post(reverse("heritage:manage_create", args=["sites"]), site_post(tree))
    site = Site.objects.get()
    client.post(reverse("heritage:manage_edit", args=["sites", site.pk]), site_post(tree, name="Tên mới", version=1))
    detail = client.get(reverse("heritage:manage_detail", args=["sites", site.pk]))
    assert detail.status_code == 200 and "Tên mới" in detail.content.decode()
    page = client.get(reverse("heritage:manage_revisions", args=["sites", site.pk])).content.decode()
    assert "#2" in page and "Đền An" in page and "Tên mới" in page


def test_translation_and_decision_forms(client, officer, tree):
    site = SiteFactory(organisation=tree.dept_a)
    client.force_login(officer)
    client.post(reverse("heritage:manage_site_translation", args=[site.pk]),
                {"language": "en", "name": "An Temple", "version": site.version})
    client.post(reverse("heritage:manage_site_decision", args=[site.pk]),
                {"number": "12/QĐ", "rank": "national", "decided_on": "2012-01-02", "version": site.version + 1})
    site.refresh_from_db()
    assert site.translations.get(language="en").name == "An Temple"
    assert site.decisions.get().number == "12/QĐ" and site.version == 3


def test_media_upload_makes_thumbnails(client, officer, tree, media_root):
    site = SiteFactory(organisation=tree.dept_a)
    client.force_login(officer)
    upload = SimpleUploadedFile("anh.png", png_bytes((2000, 1000)), content_type="image/png")
    response = client.post(reverse("heritage:manage_media_add", args=["sites", site.pk]),
                           {"kind": "image", "file": upload, "caption": "Cổng đền"})
    assert response.status_code == 302
    item = Media.objects.get(site=site)
    assert (item.width, item.height) == (2000, 1000) and item.original_name == "anh.png"
    from PIL import Image

    with Image.open(media_root / item.thumb_small.name) as small:
        assert small.size == (320, 160) and small.format == "JPEG"
    with Image.open(media_root / item.thumb_large.name) as large:
        assert large.size == (1024, 512)
    assert Revision.objects.filter(object_id=site.pk, action="media_added").exists()


def test_media_upload_rejects_a_file_that_is_not_an_image(client, officer, tree, media_root):
    site = SiteFactory(organisation=tree.dept_a)
    client.force_login(officer)
    fake = SimpleUploadedFile("anh.jpg", b"<?php echo 'x'; ?>", content_type="image/jpeg")
    response = client.post(reverse("heritage:manage_media_add", args=["sites", site.pk]),
                           {"kind": "image", "file": fake})
    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.content.decode()
    assert not Media.objects.exists()
    assert not list(media_root.rglob("*.jpg")) if media_root.exists() else True


def test_media_link_validation(client, officer, tree):
    site = SiteFactory(organisation=tree.dept_a)
    client.force_login(officer)
    url = reverse("heritage:manage_media_add", args=["sites", site.pk])
    bad = client.post(url, {"kind": "video", "url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "http" in bad.content.decode()
    good = client.post(url, {"kind": "virtual_tour", "url": "https://example.vn/tour"})
    assert good.status_code == 302 and Media.objects.get().url == "https://example.vn/tour"


def import_csv(rows):
    header = "code,name,province_code,commune_code,rank,type,latitude,longitude\n"
    return SimpleUploadedFile("ds.csv", (header + "\n".join(rows) + "\n").encode(), content_type="text/csv")


def test_import_report_lists_each_bad_row_then_a_fixed_file_is_committed(client, officer, tree, media_root):
    client.force_login(officer)
    bad = import_csv(["81-1,Đình Một,81,81001,quốc gia,lịch sử,21.0,105.8",
                      "81-2,Đình Hai,81,81001,hạng nhất,lịch sử,18.0,109.3"])
    response = client.post(reverse("heritage:manage_import"), {"file": bad}, follow=True)
    body = response.content.decode()
    assert "Tệp còn lỗi" in body and 'data-row="3"' in body
    assert "Cấp xếp hạng “hạng nhất” không hợp lệ" in body and "nằm ngoài lãnh thổ Việt Nam" in body
    assert not Site.objects.exists()
    good = import_csv(["81-1,Đình Một,81,81001,quốc gia,lịch sử,21.0,105.8",
                       "81-2,Đình Hai,81,81001,cấp tỉnh,lịch sử,21.1,105.9"])
    response = client.post(reverse("heritage:manage_import"), {"file": good}, follow=True)
    item_url = response.redirect_chain[-1][0]
    assert "Tệp hợp lệ" in response.content.decode()
    pk = int(item_url.rstrip("/").rsplit("/", 1)[-1])
    response = client.post(reverse("heritage:manage_import_commit", args=[pk]), follow=True)
    assert "Đã nhập 2 dòng" in response.content.decode()
    assert set(Site.objects.values_list("code", flat=True)) == {"81-1", "81-2"}
    # Someone else's import is not visible.
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    assert client.get(reverse("heritage:manage_import_report", args=[pk])).status_code == 403


def test_exports(client, officer, tree):
    SiteFactory(organisation=tree.dept_a, code="81-0001", name="Đền An")
    SiteFactory(organisation=tree.dept_b, code="82-0001")
    client.force_login(officer)
    response = client.get(reverse("heritage:manage_sites_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert "81-0001" in text and "82-0001" not in text
    response = client.get(reverse("heritage:manage_sites_export", args=["xlsx"]))
    assert response.content[:2] == b"PK"
    response = client.get(reverse("heritage:manage_sites_export", args=["geojson"]))
    data = json.loads(response.content)
    assert [f["properties"]["code"] for f in data["features"]] == ["81-0001"]
    sample = client.get(reverse("heritage:manage_import_sample"))
    assert sample.status_code == 200 and b"province_code" in sample.content


def test_create_intangible_and_festival_through_the_forms(client, officer, tree):
    from vhttdl.heritage.models import Festival, IntangibleHeritage

    site = SiteFactory(organisation=tree.dept_a, code="81-0009")
    client.force_login(officer)
    response = client.post(reverse("heritage:manage_create", args=["intangible"]), {
        "code": "PVT-81-1", "name": "Hát Thử", "category": "performing_arts", "unesco_list": "none",
        "provinces": [tree.area_a.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    item = IntangibleHeritage.objects.get(code="PVT-81-1")
    assert list(item.provinces.all()) == [tree.area_a] and item.organisation == tree.dept_a
    response = client.post(reverse("heritage:manage_create", args=["festivals"]), {
        "code": "LH-81-1", "name": "Hội Thử", "calendar": "lunar", "month": 3, "day": 10, "duration_days": 2,
        "province": tree.area_a.pk, "site_code": "81-0009"})
    assert response.status_code == 302, response.content.decode()[:2000]
    festival = Festival.objects.get(code="LH-81-1")
    assert festival.site == site
    bad = client.post(reverse("heritage:manage_create", args=["festivals"]), {
        "code": "LH-81-2", "name": "Hội Sai", "calendar": "lunar", "month": 2, "day": 31, "duration_days": 1,
        "province": tree.area_a.pk})
    assert bad.status_code == 400
    detail = client.get(reverse("heritage:manage_detail", args=["festivals", festival.pk])).content.decode()
    assert "10/3" in detail and "âm lịch" in detail
    detail = client.get(reverse("heritage:manage_detail", args=["intangible", item.pk])).content.decode()
    assert "Nghệ thuật trình diễn dân gian" in detail


def test_a_ranking_decision_can_be_removed_once_and_only_in_scope(client, officer, tree):
    site = SiteFactory(organisation=tree.dept_a)
    client.force_login(officer)
    client.post(reverse("heritage:manage_site_decision", args=[site.pk]),
                {"number": "12/QĐ", "rank": "national", "version": site.version})
    decision = site.decisions.get()
    page = client.get(reverse("heritage:manage_detail", args=["sites", site.pk])).content.decode()
    assert reverse("heritage:manage_site_decision_remove", args=[site.pk, decision.pk]) in page

    url = reverse("heritage:manage_site_decision_remove", args=[site.pk, decision.pk])
    response = client.post(url, follow=True)
    assert not site.decisions.exists()
    assert "Đã gỡ quyết định xếp hạng 12/QĐ" in response.content.decode()
    assert Revision.objects.filter(object_id=site.pk, action="decision_removed").exists()

    again = client.post(url, follow=True)  # a second click: a clear message, nothing else happens
    assert "không còn trong hồ sơ" in again.content.decode()

    other = SiteFactory(organisation=tree.dept_b)
    other_decision = other.decisions.create(number="9/QĐ", rank="provincial")
    refused = client.post(reverse("heritage:manage_site_decision_remove", args=[other.pk, other_decision.pk]))
    assert refused.status_code in (403, 404)
    assert other.decisions.filter(pk=other_decision.pk).exists()


def test_confirming_an_import_twice_says_it_was_written(client, officer, media_root):
    client.force_login(officer)
    good = import_csv(["81-9,Đình Chín,81,81001,quốc gia,lịch sử,21.0,105.8"])
    response = client.post(reverse("heritage:manage_import"), {"file": good}, follow=True)
    pk = response.resolver_match.kwargs["pk"]
    assert client.post(reverse("heritage:manage_import_commit", args=[pk])).status_code == 302
    response = client.post(reverse("heritage:manage_import_commit", args=[pk]))
    assert response.status_code == 409 and "không ghi lần thứ hai" in response.content.decode()
    assert Site.objects.filter(code="81-9").count() == 1
