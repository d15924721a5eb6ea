"""Public pages for anonymous visitors: shared, validated by ETag, and fresh after every audited change."""

from __future__ import annotations

import pytest

from tests.core.factories import AreaFactory, make_org, person
from tests.heritage.factories import SiteFactory
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.services import site_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    area = AreaFactory(code="25", name="Tỉnh Phú Thọ")
    return SiteFactory(organisation=make_org("SO-PT", area=area), province=area, code="DT-HUNG",
                       name="Khu di tích Đền Hùng")


def visit(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 304)
    return response


def test_second_visit_is_stored_and_third_served_from_the_cache(client, site):
    url = "/heritage/sites/DT-HUNG/"
    first, second, third = visit(client, url), visit(client, url), visit(client, url)
    assert "X-Cache" not in first  # the first answer tells the process that the page is public
    assert second["X-Cache"] == "miss" and third["X-Cache"] == "hit"
    assert third.content == second.content and "Khu di tích Đền Hùng" in third.content.decode()
    assert third["ETag"] == second["ETag"] and third["Last-Modified"]
    assert third["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "X-Vhttdl-Public-Page" not in third and "X-Vhttdl-Public-Page" not in first


def test_matching_etag_gets_304_without_a_body(client, site):
    url = "/heritage/sites/DT-HUNG/"
    visit(client, url)
    etag = visit(client, url)["ETag"]
    again = visit(client, url, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""


def test_an_audited_change_is_shown_at_once(client, site, django_capture_on_commit_callbacks):
    url = "/heritage/sites/DT-HUNG/"
    visit(client, url), visit(client, url)
    assert visit(client, url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        site_update(actor=SYSTEM, site=site, data={"name": "Đền Hùng (đã đổi tên)"}, version=site.version)
    fresh = visit(client, url)
    assert fresh["X-Cache"] == "miss" and "Đền Hùng (đã đổi tên)" in fresh.content.decode()
    assert visit(client, url)["X-Cache"] == "hit"


def test_languages_are_stored_apart(client, site):
    url = "/heritage/sites/DT-HUNG/"
    for _ in range(3):
        visit(client, url)
    client.cookies["django_language"] = "en"
    english = [visit(client, url) for _ in range(2)]
    assert [r.get("X-Cache") for r in english] == ["miss", "hit"]
    assert english[1]["Content-Language"] == "en" and 'lang="en"' in english[1].content.decode()


def test_signed_in_people_are_never_served_or_stored(client, site, tree):
    url = "/heritage/sites/DT-HUNG/"
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    for _ in range(3):
        response = visit(client, url)
        assert "X-Cache" not in response
    client.logout()
    client.cookies.clear()
    assert [visit(client, url).get("X-Cache") for _ in range(2)] == [None, "miss"]  # nothing was stored for them


def test_bearer_token_requests_bypass_the_cache(client, site):
    url = "/api/v1/search?q=den+hung"
    for _ in range(3):
        visit(client, url)
    response = client.get(url, headers={"authorization": "Bearer vht_not_a_token"})
    assert "X-Cache" not in response


def test_public_apis_are_shared_too(client, site):
    url = "/api/v1/heritage/sites.geojson?bbox=102,8,110,24&zoom=14"
    answers = [visit(client, url) for _ in range(3)]
    assert [a.get("X-Cache") for a in answers] == [None, "miss", "hit"]
    assert answers[2]["Content-Type"] == "application/geo+json"
    assert answers[2].json()["features"][0]["properties"]["name"] == "Khu di tích Đền Hùng"


def test_pages_that_are_not_marked_are_not_stored(client, tree):
    for _ in range(3):
        response = client.get("/accounts/login/")
        assert "X-Cache" not in response


def test_the_landing_page_is_shared_with_visitors_but_not_with_staff(client, site, tree):
    answers = [client.get("/") for _ in range(3)]
    assert [a.get("X-Cache") for a in answers] == [None, "miss", "hit"]
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    staff = client.get("/")
    assert "X-Cache" not in staff and staff.content != answers[2].content  # the staff home, not the landing page


def test_a_stored_page_keeps_the_headers_every_answer_gets(client, site):
    url = "/heritage/sites/DT-HUNG/"
    fresh = [visit(client, url) for _ in range(2)][1]
    hit = visit(client, url)
    assert hit["X-Cache"] == "hit"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Content-Language",
                   "X-Content-Type-Options", "Referrer-Policy"):
        assert hit[header] == fresh[header], header
    assert not hit.cookies


def test_hosts_are_stored_apart_and_checked(client, site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "vhttdl.example.vn"]
    url = "/heritage/sites/DT-HUNG/"
    for _ in range(3):
        visit(client, url)
    other = client.get(url, headers={"host": "vhttdl.example.vn"})
    assert other.get("X-Cache") == "miss" and "vhttdl.example.vn" in other.content.decode()
    assert client.get(url, headers={"host": "evil.example.com"}).status_code == 400
