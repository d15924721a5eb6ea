"""What people find: folding, typos, ranking, filters, paging, visibility, bad input."""

from __future__ import annotations

import pytest

from tests.core.factories import UserFactory, person
from tests.core.search.factories import doc
from vhttdl.core.accounts.roles import Role
from vhttdl.core.errors import InvalidInput
from vhttdl.core.search.selectors import search

pytestmark = pytest.mark.django_db


def titles(q: str, actor=None, **kwargs) -> list[str]:
    return [hit.title for hit in search(actor=actor, q=q, **kwargs).hits]


@pytest.fixture
def places():
    doc("Đền Hùng", "Khu di tích lịch sử quốc gia đặc biệt, thờ các Vua Hùng.", province_code="25")
    doc("Chùa Một Cột", "Ngôi chùa ở Hà Nội, dựng năm 1049.", province_code="01")
    doc("Lăng Chủ tịch Hồ Chí Minh", "Quảng trường Ba Đình.", province_code="01")
    doc("Phố cổ Hội An", "Di sản văn hóa thế giới.", province_code="48")
    doc("Vịnh Hạ Long", "Di sản thiên nhiên thế giới.", province_code="22")
    doc("Cao nguyên đá Đồng Văn", "Công viên địa chất ở Hà Giang.", province_code="08")
    doc("Hà Giang", "Cao nguyên đá.", kind="heritage.festival", province_code="08")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("den hung", "Đền Hùng"),
        ("DEN HUNG", "Đền Hùng"),
        ("ĐỀN HÙNG", "Đền Hùng"),
        ("đền hùng", "Đền Hùng"),
        ("chua mot cot", "Chùa Một Cột"),
        ("CHÙA MỘT CỘT", "Chùa Một Cột"),
        ("ho chi minh", "Lăng Chủ tịch Hồ Chí Minh"),
        ("dong van", "Cao nguyên đá Đồng Văn"),
        ("hoi an", "Phố cổ Hội An"),
    ],
)
def test_diacritic_insensitive_including_d_stroke(places, q, expected):
    assert titles(q)[0] == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("chua mot cto", "Chùa Một Cột"),  # two letters swapped
        ("den hungg", "Đền Hùng"),  # one letter too many
        ("hoi ann", "Phố cổ Hội An"),
        ("chuaa mot cot", "Chùa Một Cột"),
        ("dne hung", "Đền Hùng"),
        ("vinh hs long", "Vịnh Hạ Long"),  # "hs": too short to correct, left out
    ],
)
def test_one_typo_is_tolerated(places, q, expected):
    found = titles(q)
    assert found and found[0] == expected


def test_two_typos_in_one_word_are_not_corrected_but_left_out(places):
    results = search(actor=None, q="chua mot ctoo ")
    assert results.left_out == ["ctoo"] and results.results_for == ["chua", "mot"]
    assert [h.title for h in results.hits] == ["Chùa Một Cột"]


def test_exact_diacritics_rank_above_folded_matches(places):
    # "Hà" folds like "Hạ": both match, the one typed exactly comes first, then folded title, then body.
    found = titles("Hà")
    assert found[:2] == ["Hà Giang", "Vịnh Hạ Long"]
    # body matches after titles (the mausoleum's province, Hà Nội, was also Hà Tây: see places.py)
    assert set(found[2:]) == {"Chùa Một Cột", "Cao nguyên đá Đồng Văn", "Lăng Chủ tịch Hồ Chí Minh"}
    assert titles("Hạ")[0] == "Vịnh Hạ Long"
    # typed without marks: both titles are equal folded matches, bodies after them
    assert set(titles("ha")[:2]) == {"Hà Giang", "Vịnh Hạ Long"}


def test_title_matches_rank_above_body_matches():
    doc("Bảo tàng tỉnh", "Trưng bày hiện vật về Đền Hùng và các vua Hùng " * 5)
    doc("Đền Hùng", "Một khu di tích.")
    assert titles("den hung") == ["Đền Hùng", "Bảo tàng tỉnh"]


def test_the_last_word_is_a_prefix_for_results_as_you_type(places):
    assert titles("chua mot c") == ["Chùa Một Cột"]
    assert titles("Hù")[0] == "Đền Hùng"
    assert titles("den hu") == ["Đền Hùng"]
    ended = search(actor=None, q="den hu ")  # a trailing space ends the word: "hu" is no word
    assert ended.left_out == ["hu"] and [h.title for h in ended.hits] == ["Đền Hùng"]


def test_longer_prefixes_find_every_word_they_begin(monkeypatch):
    doc("Đền thờ Nguyễn Trãi", "Côn Sơn, Chí Linh.")
    doc("Chùa Nguyệt Quang")
    assert set(titles("nguye")) == {"Đền thờ Nguyễn Trãi", "Chùa Nguyệt Quang"}
    assert titles("nguyen tr") == ["Đền thờ Nguyễn Trãi"]
    assert titles("chi lin") == ["Đền thờ Nguyễn Trãi"]  # in the body
    # more words begin with it than are listed (PostgreSQL): matched as a prefix all the same
    from vhttdl.core.search import backends

    monkeypatch.setattr(backends.PostgresBackend, "MAX_COMPLETIONS", 1)
    assert set(titles("nguye")) == {"Đền thờ Nguyễn Trãi", "Chùa Nguyệt Quang"}


def test_two_and_three_letter_prefixes_in_title_and_body(places):
    assert titles("chua mo") == ["Chùa Một Cột"]
    assert titles("ngoi chu") == ["Chùa Một Cột"]  # body words
    assert titles("cao ng") == ["Cao nguyên đá Đồng Văn", "Hà Giang"]  # title first, then body
    assert titles("vua hu")[0] == "Đền Hùng"


def test_a_kind_with_other_characters_is_still_filtered():
    doc("Đình làng", kind="tin tức (cũ)")
    doc("Đình làng", kind="heritage.site")
    assert [h.kind for h in search(actor=None, q="dinh lang", kinds=["tin tức (cũ)"]).hits] == ["tin tức (cũ)"]
    assert search(actor=None, q="dinh lang", kinds=["không có'"]).hits == []
    assert search(actor=None, q="dinh lang", province_code="x' OR 1=1").hits == []


def test_filters_by_kind_and_province(places):
    assert titles("ha giang", kinds=["heritage.festival"]) == ["Hà Giang"]
    assert titles("ha giang", kinds=["heritage.site"]) == ["Cao nguyên đá Đồng Văn"]
    assert titles("di san the gioi", province_code="48") == ["Phố cổ Hội An"]
    assert titles("di san the gioi", province_code="22") == ["Vịnh Hạ Long"]
    assert titles("di san the gioi", province_code="99") == []


def test_pagination_with_total():
    for i in range(25):
        doc(f"Đình làng số {i}")
    first = search(actor=None, q="dinh lang", limit=10)
    assert first.total == 25 and len(first.hits) == 10 and first.has_next and first.previous_offset is None
    last = search(actor=None, q="dinh lang", limit=10, offset=20)
    assert last.total == 25 and len(last.hits) == 5 and not last.has_next and last.previous_offset == 10
    beyond = search(actor=None, q="dinh lang", limit=10, offset=40)
    assert beyond.total == 25 and beyond.hits == []
    seen = [h.object_id for page in (0, 10, 20) for h in search(actor=None, q="dinh lang", limit=10,
                                                                   offset=page).hits]
    assert len(set(seen)) == 25


def test_highlights_are_escaped_and_only_mark_is_markup():
    doc("<b>Đền</b> & Hùng", "Lời dẫn <script>alert(1)</script> rồi Đền Hùng ở cuối.")
    hit = search(actor=None, q="den hung").hits[0]
    assert hit.title_html == "&lt;b&gt;<mark>Đền</mark>&lt;/b&gt; &amp; <mark>Hùng</mark>"
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "<mark>Đền</mark> <mark>Hùng</mark>" in hit.snippet


def test_snippet_is_cut_around_the_first_match():
    doc("Tài liệu", "đầu " * 200 + "nhắc tới Chùa Một Cột " + "cuối " * 200)
    snippet = search(actor=None, q="chua mot cot").hits[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …") and "<mark>Chùa</mark>" in snippet
    assert len(snippet) < 400


def test_english_titles_when_asked():
    doc("Văn Miếu", "Trường đại học đầu tiên.", title_en="Temple of Literature", body_en="The first university.")
    assert titles("van mieu", language="en") == ["Temple of Literature"]
    assert titles("temple literature") == ["Văn Miếu"]
    assert titles("temple literature", language="en") == ["Temple of Literature"]


def test_empty_query_gives_a_message_not_everything(places):
    for q in ("", "   ", "!!! ---"):
        results = search(actor=None, q=q)
        assert results.hits == [] and results.total == 0 and results.message


def test_a_5000_character_query_is_refused_with_a_message():
    with pytest.raises(InvalidInput) as info:
        search(actor=None, q="đền " * 1250)
    assert info.value.code == "query_too_long" and "200" in info.value.message


@pytest.mark.parametrize(
    "q",
    ["' OR 1=1 --", "\"; DROP TABLE search_document; --", "<script>alert(1)</script>", '"', "*", "NEAR(a b)",
     "-den", "title_folded:den", "den AND hung OR", "{title_keys}: x", "den^ hung", "%", "_", "\\", "den*hung"],
)
def test_query_syntax_and_injection_are_plain_text(places, q):
    results = search(actor=None, q=q)  # never a syntax error
    assert results.total >= 0
    assert titles("den hung") == ["Đền Hùng"]  # and nothing was dropped


def test_syntax_characters_around_words_still_find_them(places):
    assert titles('"den hung"') == ["Đền Hùng"]
    assert titles("den* -hung") == ["Đền Hùng"]


# --- visibility -------------------------------------------------------------------------------


@pytest.fixture
def drafts(tree, monkeypatch):
    from vhttdl.core.modules import SearchKind, registry
    from vhttdl.reporting.actions import ReportingAction

    # A second module's private kind, as a module.py would declare it.
    installed = registry.search_kinds()
    extra = SearchKind("reporting.submission", "Báo cáo", ReportingAction.VIEW)
    monkeypatch.setattr(registry, "search_kinds", lambda: {**installed, extra.kind: extra})
    doc("Đình An công khai", province_code=tree.area_a.code)
    doc("Đình An nháp", province_code=tree.area_a.code, public=False)
    doc("Đình Bình nháp", province_code=tree.area_b.code, public=False)
    doc("Đình quốc gia nháp", public=False)
    doc("Đình báo cáo nháp", kind="reporting.submission", province_code=tree.area_a.code, public=False)
    doc("Đình tin nháp", kind="news.article", province_code=tree.area_a.code, public=False)
    return tree


ALL_HERITAGE = {"Đình An công khai", "Đình An nháp", "Đình Bình nháp", "Đình quốc gia nháp"}


@pytest.mark.parametrize(
    ("role", "place", "expected"),
    [
        (None, None, {"Đình An công khai"}),
        (Role.APPLICANT, "ministry", {"Đình An công khai"}),
        (Role.MINISTRY_OFFICER, "ministry", ALL_HERITAGE | {"Đình báo cáo nháp"}),
        (Role.MINISTRY_LEADER, "ministry", ALL_HERITAGE | {"Đình báo cáo nháp"}),
        (Role.MINISTRY_OFFICER, "agency", ALL_HERITAGE | {"Đình báo cáo nháp"}),
        (Role.DEPARTMENT_OFFICER, "dept_a", {"Đình An công khai", "Đình An nháp", "Đình báo cáo nháp"}),
        (Role.DEPARTMENT_LEADER, "dept_b", {"Đình An công khai", "Đình Bình nháp"}),
        (Role.UNIT_STAFF, "museum_a", {"Đình An công khai", "Đình An nháp", "Đình báo cáo nháp"}),
        (Role.UNIT_STAFF, "museum_b", {"Đình An công khai", "Đình Bình nháp"}),
    ],
)
def test_visibility_matrix(drafts, role, place, expected):
    actor = None if role is None else person(role, getattr(drafts, place))
    assert set(titles("dinh", actor=actor)) == expected


def test_superuser_sees_everything(drafts):
    admin = UserFactory(is_superuser=True)
    assert len(titles("dinh", actor=admin)) == 6


def test_a_person_without_grants_sees_public_only(drafts):
    assert titles("dinh", actor=UserFactory()) == ["Đình An công khai"]


def test_an_inactive_person_sees_public_only(drafts):
    officer = person(Role.MINISTRY_OFFICER, drafts.ministry, is_active=False)
    assert titles("dinh", actor=officer) == ["Đình An công khai"]


# --- broad queries (more matches than are ranked) ---------------------------------------------


@pytest.fixture
def small_rank_limit(monkeypatch):
    from vhttdl.core.search import backends

    monkeypatch.setattr(backends, "RANK_LIMIT", 5)
    monkeypatch.setattr(backends, "BROAD_CANDIDATES", 5)


def test_broad_query_keeps_title_matches_first_and_says_the_total_is_a_lower_bound(small_rank_limit):
    doc("Hà Giang")  # oldest: not among the newest body matches, found by the title candidates
    doc("Vịnh Hạ Long")
    for i in range(12):
        doc(f"Đình số {i}", "Nằm ở Hà Nội, gần sông Hồng.")
    results = search(actor=None, q="Hà", limit=3)
    assert [h.title for h in results.hits[:2]] == ["Hà Giang", "Vịnh Hạ Long"]
    assert not results.total_exact and 5 <= results.total <= 10
    assert search(actor=None, q="Hà Giang").total_exact


def test_broad_query_applies_filters_before_choosing_candidates(small_rank_limit, tree):
    for i in range(10):
        doc(f"Đình số {i}", "Hà Nội", province_code=tree.area_a.code)
    for i in range(3):
        doc(f"Chùa số {i}", "Hà Nội", province_code=tree.area_b.code, public=i != 0)
    doc("Đình nháp", "Hà Nội", province_code=tree.area_b.code, public=False)
    results = search(actor=None, q="ha noi", province_code=tree.area_b.code)
    assert sorted(h.title for h in results.hits) == ["Chùa số 1", "Chùa số 2"]


def test_broad_query_pages_do_not_overlap(small_rank_limit):
    for i in range(12):
        doc(f"Đình số {i}", "Hà Nội")
    first = search(actor=None, q="ha", limit=3)
    assert first.total == 5 and not first.total_exact  # the 5 newest matches are the candidates
    seen = [h.object_id for offset in (0, 3) for h in search(actor=None, q="ha", limit=3, offset=offset).hits]
    assert len(seen) == len(set(seen)) == 5
    assert search(actor=None, q="ha", limit=3, offset=9).total == 5


def test_broad_query_with_a_narrow_filter_finds_what_it_keeps(small_rank_limit):
    for i in range(12):
        doc(f"Đình số {i}", "Hà Nội", province_code="01")
    doc("Chùa Hà Tiên", "Hà Nội", kind="heritage.festival", province_code="91")
    results = search(actor=None, q="ha", kinds=["heritage.festival"])
    assert [h.title for h in results.hits] == ["Chùa Hà Tiên"]
    assert [h.title for h in search(actor=None, q="ha noi", province_code="91").hits] == ["Chùa Hà Tiên"]


def test_the_words_after_a_prefix_bound_the_vocabulary_range():
    from vhttdl.core.search.query import _after_prefix, completions

    assert [_after_prefix(w) for w in ("khai", "thuz", "a9", "zz")] == ["khaj", "thv", "aa", None]
    doc("Khải Định", "khaiz khaj")
    assert completions("khai", 5) == ["khai", "khaiz"]
    assert completions("khai", 1) is None  # more than asked for
    assert completions("zz", 5) == []


def test_highlight_prefixes_typos_and_text_whose_folding_changes_length():
    from vhttdl.core.search.highlight import Highlighter
    from vhttdl.core.search.query import parse

    query = parse("den hu")
    query.terms[0].alternatives = ("dne",)
    marker = Highlighter(query)
    assert marker.highlight("Đền Hùng, dne") == "<mark>Đền</mark> <mark>Hùng</mark>, <mark>dne</mark>"
    assert marker.highlight("Ǆ Đền Hùng") == "Ǆ <mark>Đền</mark> <mark>Hùng</mark>"  # Ǆ folds to two letters
    assert marker.highlight("Đềnx hụ") == "Đềnx <mark>hụ</mark>"


def test_body_matches_typed_exactly_come_before_folded_body_matches():
    doc("Bảo tàng", "Trưng bày về vùng Hạ Long.")
    doc("Nhà trưng bày", "Hiện vật của tỉnh Hà Giang.")
    found = search(actor=None, q="Hà")
    assert [h.title for h in found.hits] == ["Nhà trưng bày", "Bảo tàng"]
    assert found.hits[0].score > found.hits[1].score


def test_scores_follow_the_order():
    doc("Hà Giang", "Hà")
    doc("Sông Hà Giang chảy qua", "Hà")
    doc("Bảo tàng", "Hà Giang")
    doc("Nhà", "ha giang")
    scores = [h.score for h in search(actor=None, q="Hà Giang").hits]
    assert scores == sorted(scores, reverse=True) and len(scores) == 4


def test_the_words_together_in_the_title_come_first():
    doc("Đền Mẫu Hưng Yên")  # shorter, but "den ... hung" apart (and Hưng folds like Hùng)
    doc("Khu di tích lịch sử Đền Hùng")
    doc("Chùa Dư Hàng")
    doc("Đền Bảo Hà Lào Cai")
    assert titles("den hung")[:2] == ["Khu di tích lịch sử Đền Hùng", "Đền Mẫu Hưng Yên"]
    assert titles("Hà")[0] == "Đền Bảo Hà Lào Cai"  # a whole word before a word it begins
