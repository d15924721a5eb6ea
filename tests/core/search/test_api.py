"""GET /api/v1/search: public, scoped by the session user, bad input answered with 400."""

from __future__ import annotations

import pytest

from tests.core.factories import person
from tests.core.search.factories import doc
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


@pytest.fixture
def sites(tree):
    doc("Đền Hùng", "Khu di tích quốc gia đặc biệt.", province_code=tree.area_a.code, url="/di-tich/den-hung/")
    doc("Lễ hội Đền Hùng", kind="heritage.festival", province_code=tree.area_a.code)
    doc("Đền Hùng (bản nháp)", province_code=tree.area_a.code, public=False)
    for i in range(30):
        doc(f"Đình làng {i}", province_code=tree.area_b.code)
    return tree


def test_anonymous_search_returns_public_hits_with_highlights(client, sites, django_assert_max_num_queries):
    # vocabulary, capped count, the page
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": "den hung"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2 and body["message"] == ""
    first = body["hits"][0]
    assert first["title"] == "Đền Hùng" and first["url"] == "/di-tich/den-hung/"
    assert first["title_html"] == "<mark>Đền</mark> <mark>Hùng</mark>"
    assert first["kind"] == "heritage.site" and first["kind_label"] and first["province_code"] == sites.area_a.code
    assert body["hits"][1]["title"] == "Lễ hội Đền Hùng"  # same tier, the shorter title first


def test_query_count_does_not_grow_with_page_size(client, sites, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": "dinh lang", "limit": 50})
    assert len(response.json()["hits"]) == 30


def test_kind_province_and_paging(client, sites):
    body = client.get(URL, {"q": "den hung", "kind": "heritage.festival,heritage.intangible"}).json()
    assert [h["title"] for h in body["hits"]] == ["Lễ hội Đền Hùng"]
    body = client.get(URL, {"q": "den hung", "province": sites.area_b.code}).json()
    assert body["total"] == 0 and body["message"]
    body = client.get(URL, {"q": "dinh", "limit": 10, "offset": 20}).json()
    assert body["total"] == 30 and len(body["hits"]) == 10 and body["offset"] == 20


def test_signed_in_officer_sees_drafts_of_their_province(client, sites):
    client.force_login(person(Role.DEPARTMENT_OFFICER, sites.dept_a))
    titles = [h["title"] for h in client.get(URL, {"q": "den hung"}).json()["hits"]]
    assert "Đền Hùng (bản nháp)" in titles


def test_officer_of_another_province_does_not(client, sites):
    client.force_login(person(Role.DEPARTMENT_OFFICER, sites.dept_b))
    titles = [h["title"] for h in client.get(URL, {"q": "den hung"}).json()["hits"]]
    assert "Đền Hùng (bản nháp)" not in titles


def test_empty_query_is_not_an_error(client, sites):
    body = client.get(URL).json()
    assert body["hits"] == [] and body["total"] == 0 and body["message"]


def test_a_5000_character_query_gets_400_with_a_message(client, sites):
    response = client.get(URL, {"q": "a" * 5000})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "query_too_long" and "200" in body["message"]


def test_the_message_is_english_when_asked(client, sites):
    response = client.get(URL, {"q": "a" * 5000}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "too long" in response.json()["message"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 51}, {"offset": -1}, {"limit": "x"}])
def test_bad_paging_gets_400(client, sites, params):
    response = client.get(URL, {"q": "den", **params})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "<script>alert(1)</script>", '"', "*", "NEAR(", "-", ":", "den hung\" OR \"1", "%00"]
)
def test_sql_html_and_fts_fragments_are_plain_text(client, sites, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["q"] == q.strip()  # echoed as JSON data only
    assert "<" not in body["message"]


def test_injected_title_comes_back_escaped(client, db):
    doc("<img src=x onerror=alert(1)> Đền Hùng")
    hit = client.get(URL, {"q": "den hung"}).json()["hits"][0]
    assert hit["title_html"].startswith("&lt;img src=x onerror=alert(1)&gt; <mark>")


def test_a_bearer_token_counts_like_a_session(client, sites):
    from tests.core.factories import issue_token

    officer = person(Role.DEPARTMENT_OFFICER, sites.dept_a)
    issued = issue_token(officer, name="thử")
    body = client.get(URL, {"q": "den hung"}, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").json()
    assert "Đền Hùng (bản nháp)" in [h["title"] for h in body["hits"]]
    response = client.get(URL, {"q": "den hung"}, HTTP_AUTHORIZATION="Bearer vht_not_a_token")
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_many_kinds_are_capped_not_an_error(client, sites):
    kinds = ",".join(f"kind{i}" for i in range(500)) + ",heritage.site"
    response = client.get(URL, {"q": "den hung", "kind": kinds})
    assert response.status_code == 200


def test_words_left_out_are_listed(client, sites):
    body = client.get(URL, {"q": "den hung xyzzyq"}).json()
    assert body["left_out"] == ["xyzzyq"] and body["results_for"] == ["den", "hung"]
    assert body["hits"][0]["title"] == "Đền Hùng" and "xyzzyq" in body["message"]
    english = client.get(URL, {"q": "den hung xyzzyq", "lang": "en"}).json()
    assert english["message"].startswith("No match for")
    assert client.get(URL, {"q": "den hung"}).json()["left_out"] == []
