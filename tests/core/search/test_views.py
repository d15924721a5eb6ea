"""The /search/ page: no login, plain GET without JavaScript, an htmx partial as you type."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.core.search.factories import doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(db):
    doc("Đền Hùng", "Khu di tích lịch sử ở Phú Thọ.", url="/di-tich/den-hung/")
    doc("Chùa Một Cột", "Hà Nội.", url="/di-tich/chua-mot-cot/")
    doc("Lễ hội Chùa Hương", kind="heritage.festival", url="/le-hoi/chua-huong/")


def test_page_without_a_query_shows_an_accessible_box(client, sites):
    response = client.get(reverse("search:page"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="search-q">' in html and 'id="search-q"' in html
    assert 'aria-live="polite"' in html and 'role="search"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'method="get" action="/search/"' in html  # works without JavaScript


def test_plain_get_shows_results_with_links_and_marks(client, sites, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("search:page"), {"q": "chua mot cot"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'href="/di-tich/chua-mot-cot/"' in html
    assert "<mark>Chùa</mark> <mark>Một</mark> <mark>Cột</mark>" in html
    assert 'value="chua mot cot"' in html


def test_htmx_request_gets_only_the_results(client, sites):
    response = client.get(reverse("search:page"), {"q": "den hung"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'href="/di-tich/den-hung/"' in html


def test_kind_filter_from_the_box(client, sites):
    response = client.get(reverse("search:page"), {"q": "chua", "kind": "heritage.festival"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "/le-hoi/chua-huong/" in html and "/di-tich/chua-mot-cot/" not in html


def test_a_5000_character_query_shows_a_message(client, sites):
    response = client.get(reverse("search:page"), {"q": "x" * 5000})
    assert response.status_code == 200
    assert 'class="alert err"' in response.content.decode()


def test_injected_query_is_escaped(client, sites):
    response = client.get(reverse("search:page"), {"q": '"><script>alert(1)</script>'})
    html = response.content.decode()
    assert response.status_code == 200 and "<script>alert(1)</script>" not in html


def test_paging_links(client, db):
    for i in range(25):
        doc(f"Đình làng {i}")
    html = client.get(reverse("search:page"), {"q": "dinh lang"}).content.decode()
    assert "offset=20" in html and "25" in html
    html = client.get(reverse("search:page"), {"q": "dinh lang", "offset": "20"}).content.decode()
    assert "offset=0" in html and 'start="21"' in html
    assert client.get(reverse("search:page"), {"q": "dinh", "offset": "abc"}).status_code == 200


def test_the_box_can_be_embedded_with_kinds(rf: RequestFactory):
    request = rf.get("/heritage/")
    html = render_to_string("search/_box.html", {"kinds": "heritage.site,heritage.festival",
                                                 "box_id": "heritage-search"}, request=request)
    assert 'name="kind" value="heritage.site,heritage.festival"' in html
    assert 'id="heritage-search-q"' in html and 'hx-target="#heritage-search-results"' in html


def test_page_in_english_once_chosen(client, sites):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("search:page"), {"q": "den hung"}).content.decode()
    assert 'lang="en"' in html and "Search relics, heritage, festivals" in html and "1 result" in html


def test_the_page_says_which_words_were_left_out(client, sites, settings):
    html = client.get(reverse("search:page"), {"q": "chua mot cot xyzzyq"}).content.decode()
    assert "Không tìm thấy “<del>xyzzyq</del>”; kết quả cho “<strong>chua mot cot</strong>”." in html
    assert 'href="/di-tich/chua-mot-cot/"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("search:page"), {"q": "chua mot cot xyzzyq"}).content.decode()
    assert "No match for “<del>xyzzyq</del>”; showing results for “<strong>chua mot cot</strong>”." in html
