"""Heritage records in the platform search: English results show English labels (issue 8, item 5)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.heritage.factories import IntangibleFactory, SiteFactory, SiteTranslationFactory
from vhttdl.core.search.selectors import search
from vhttdl.heritage import services
from vhttdl.heritage.models import IntangibleHeritage, Site, SiteRank

pytestmark = pytest.mark.django_db


def _hit(q: str, language: str):
    hits = search(actor=None, q=q, language=language).hits
    assert hits, q
    return hits[0]


def test_an_english_result_shows_the_rank_in_english_without_an_english_description(tree):
    site = SiteFactory(organisation=tree.dept_a, name="Đình Tây Đằng", rank=SiteRank.SPECIAL_NATIONAL)
    services.index_records(Site.SEARCH_KIND, [site.pk])
    english = _hit("dinh tay dang", "en")
    assert "Special national relic" in english.snippet and "quốc gia" not in english.snippet
    assert "Thành hoàng" not in english.snippet  # the Vietnamese description is not shown in English
    assert english.title_lang == "vi" and english.snippet_lang == ""  # no English name: the title is marked
    vietnamese = _hit("dinh tay dang", "vi")
    assert "Di tích quốc gia đặc biệt" in vietnamese.snippet and "Thành hoàng" in vietnamese.snippet
    assert vietnamese.title_lang == vietnamese.snippet_lang == ""


def test_the_english_description_is_shown_where_there_is_one(tree):
    site = SiteFactory(organisation=tree.dept_a, name="Đình Chu Quyến")
    SiteTranslationFactory(site=site, name="Chu Quyen communal house", description="A carved communal house.")
    services.index_records(Site.SEARCH_KIND, [site.pk])
    english = _hit("dinh chu quyen", "en")
    assert english.title == "Chu Quyen communal house" and english.title_lang == ""
    assert "A carved communal house." in english.snippet and "National relic" in english.snippet


def test_labels_do_not_follow_the_language_active_while_indexing(tree):
    site = SiteFactory(organisation=tree.dept_a, name="Đình Mông Phụ", rank=SiteRank.NATIONAL)
    with translation.override("en"):  # an English-speaking officer saves the record
        services.index_records(Site.SEARCH_KIND, [site.pk])
    assert "Di tích quốc gia" in _hit("dinh mong phu", "vi").snippet
    assert "National relic" in _hit("dinh mong phu", "en").snippet


def test_an_intangible_category_is_english_in_english_results(tree):
    item = IntangibleFactory(organisation=tree.dept_a, name="Hát Xoan Thử", description_en="")
    services.index_records(IntangibleHeritage.SEARCH_KIND, [item.pk])
    english = _hit("hat xoan thu", "en")
    with translation.override("en"):
        label = str(item.get_category_display())
    with translation.override("vi"):
        label_vi = str(item.get_category_display())
    assert label != label_vi and label in english.snippet and label_vi not in english.snippet
