"""Search that does not give up (issue 8, section 6): words left out, phrases first, old provinces."""

from __future__ import annotations

import pytest

from tests.core.search.factories import doc
from vhttdl.core.search.selectors import search

pytestmark = pytest.mark.django_db


def titles(q: str, **kwargs) -> list[str]:
    return [hit.title for hit in search(actor=None, q=q, **kwargs).hits]


@pytest.fixture
def places():
    doc("Chùa Một Cột", "Ngôi chùa dựng trên một cột đá.", province_code="01")
    doc("Đền Hùng", "Thờ các Vua Hùng.", province_code="25")
    doc("Đô thị cổ Hội An", "Thương cảng xưa.", province_code="48")
    doc("Chùa Cầu", "Cây cầu có mái ở Hội An.", province_code="48")
    doc("Tháp Po Klong Garai", "Cụm tháp Chăm.", province_code="56")


def test_words_that_match_nothing_are_left_out_first(places):
    results = search(actor=None, q="chua xyzzyq mot cot")
    assert [h.title for h in results.hits] == ["Chùa Một Cột"]
    assert results.left_out == ["xyzzyq"] and results.results_for == ["chua", "mot", "cot"]
    assert "xyzzyq" in results.message and "chua mot cot" in results.message


def test_then_words_are_left_out_from_the_end(places):
    # every word is in the vocabulary, but no document has them all: "hung" goes, then "den"
    results = search(actor=None, q="chua mot cot den hung")
    assert results.left_out == ["den", "hung"] and results.hits[0].title == "Chùa Một Cột"
    assert search(actor=None, q="den hung cau").left_out == ["cau"]


def test_the_words_left_out_are_shown_as_typed(places):
    results = search(actor=None, q="Chùa Một Cột Đền")
    assert results.left_out == ["đền"] and results.results_for == ["chùa", "một", "cột"]


def test_never_zero_while_one_word_finds_something(places):
    doc("Chùa Zqxwv", public=False)  # "zqxwv" only matches a draft the visitor cannot see
    results = search(actor=None, q="zqxwv thap")
    assert [h.title for h in results.hits] == ["Tháp Po Klong Garai"] and results.left_out == ["zqxwv"]


def test_a_known_word_may_be_a_typo_when_nothing_matches_as_typed(places):
    doc("Miếu Châu Đốc", "Núi Sam.")
    # "chau" is a word (Châu) but no document has it with the others: "chua" one letter away does
    results = search(actor=None, q="chau mot cot ")
    assert [h.title for h in results.hits] == ["Chùa Một Cột"] and results.left_out == []
    assert titles("chau ") == ["Miếu Châu Đốc"]  # where it matches, it is taken as typed


def test_nothing_is_left_out_when_every_word_matches(places):
    results = search(actor=None, q="chua mot cot")
    assert results.left_out == [] and results.results_for == [] and results.message == ""


def test_still_zero_when_no_word_matches_anything(places):
    results = search(actor=None, q="qqqq zzzz")
    assert results.total == 0 and results.left_out == [] and results.message


def test_filters_still_hold_when_words_are_left_out(places):
    assert titles("chua mot cot xyzzyq", province_code="25") == []
    assert titles("chua xyzzyq", province_code="48") == ["Chùa Cầu"]


def test_the_message_is_english_when_asked(places, settings):
    from django.utils import translation

    with translation.override("en"):
        results = search(actor=None, q="chua mot cot xyzzyq")
    assert results.message == "No match for “xyzzyq”; showing results for “chua mot cot”."


# --- phrases first ----------------------------------------------------------------------------


def test_a_title_with_every_word_together_ranks_above_titles_with_some_of_them():
    doc("Hội An", "Phố cổ.")
    doc("Chùa Cầu", "Hội quán của người Hoa ở An Hội.")  # both words, in the body only
    doc("Hội quán An Nam", "Hội An.")  # both words in the title, apart
    doc("Lễ hội An Bình", "Hội An.")  # together, in a longer title
    assert titles("hoi an") == ["Hội An", "Lễ hội An Bình", "Hội quán An Nam", "Chùa Cầu"]


def test_more_title_words_and_pairs_rank_first_among_body_matches():
    doc("Đô thị cổ Hội An", "Đà Nẵng, phố cổ.")
    doc("Lễ hội Cổ Loa", "Phố Hội An.")
    doc("Chùa Cầu", "Phố cổ Hội An.")
    found = search(actor=None, q="pho co hoi an").hits
    assert [h.title for h in found] == ["Đô thị cổ Hội An", "Lễ hội Cổ Loa", "Chùa Cầu"]
    assert found[0].score > found[1].score > found[2].score


@pytest.fixture
def small_broad_limits(monkeypatch):
    from vhttdl.core.search import backends

    monkeypatch.setattr(backends, "RANK_LIMIT", 5)
    monkeypatch.setattr(backends, "BROAD_CANDIDATES", 5)
    monkeypatch.setattr(backends, "BROAD_SCAN", 8)


def test_a_phrase_title_of_common_words_is_found_however_many_titles_have_them(small_broad_limits):
    doc("Đền Hùng", "Thờ các Vua Hùng.")  # the oldest: not among the newest matches or title matches
    for i in range(30):
        doc(f"Đền thờ {i} Hùng Vương", "Đền Hùng.")  # both words in the title, apart
    results = search(actor=None, q="den hung")
    assert not results.total_exact  # a broad query: only candidates are ranked
    assert results.hits[0].title == "Đền Hùng"
    typing = search(actor=None, q="den hu")  # while the last word is typed
    assert typing.hits[0].title == "Đền Hùng"


def test_a_phrase_with_a_typo_is_found_too(small_broad_limits):
    doc("Chùa Một Cột")
    for i in range(30):
        doc(f"Chùa {i} Cột Một", "Chùa Một Cột.")
    assert titles("chua mot cto ")[0] == "Chùa Một Cột"


# --- old province names -----------------------------------------------------------------------


def test_a_former_province_finds_documents_of_its_successor(places):
    assert titles("hoi an quang nam")[0] == "Đô thị cổ Hội An"  # Quảng Nam is part of Đà Nẵng since 2025
    assert titles("thap cham ninh thuan") == ["Tháp Po Klong Garai"]  # Ninh Thuận: Khánh Hòa
    assert titles("chua mot cot ha tay") == ["Chùa Một Cột"]  # Hà Tây: Hà Nội since 2008
    assert titles("Quảng Nam")[:2] == ["Chùa Cầu", "Đô thị cổ Hội An"]  # typed exactly, too
    # the former names are words to match, not text to show
    assert "Quảng Nam" not in search(actor=None, q="hoi an quang nam").hits[0].snippet


def test_further_provinces_of_a_document_count_too():
    doc("Nghệ thuật Bài Chòi", "Dân ca.", province_codes=["52", "48"])
    assert titles("bai choi binh dinh") == ["Nghệ thuật Bài Chòi"]
    assert titles("bai choi quang nam") == ["Nghệ thuật Bài Chòi"]


def test_the_former_names_come_from_the_units_reference():
    from vhttdl.core.search.places import former_names

    assert former_names("48") == "Quảng Nam"
    assert former_names("37") == "Hà Nam Nam Định"
    assert former_names("01") == "Hà Tây"
    assert former_names("04") == ""  # Cao Bằng did not change
    assert former_names("", "x") == ""
