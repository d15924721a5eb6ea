"""Heritage selectors: scoping of lists and single records, home cards."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from tests.core.factories import person
from tests.heritage.factories import FestivalFactory, IntangibleFactory, SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage import selectors
from vhttdl.heritage.actions import HeritageAction
from vhttdl.heritage.models import RecordStatus

pytestmark = pytest.mark.django_db


def test_lists_are_scoped_to_the_actors_subtree(tree):
    own = SiteFactory(organisation=tree.dept_a)
    below = SiteFactory(organisation=tree.museum_a, status=RecordStatus.DRAFT)
    other = SiteFactory(organisation=tree.dept_b, status=RecordStatus.DRAFT)
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert set(selectors.site_list(actor=officer)) == {own, below}
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    assert set(selectors.site_list(actor=staff)) == {below}
    minister = person(Role.MINISTRY_LEADER, tree.ministry)
    assert set(selectors.site_list(actor=minister)) == {own, below, other}
    applicant = person(Role.APPLICANT, tree.ministry)
    assert not selectors.site_list(actor=applicant).exists()


def test_intangible_and_festival_lists_filter_by_province_and_status(tree):
    a = IntangibleFactory(organisation=tree.dept_a, provinces=[tree.area_a])
    IntangibleFactory(organisation=tree.dept_a, provinces=[tree.area_b], status=RecordStatus.DRAFT)
    minister = person(Role.MINISTRY_OFFICER, tree.ministry)
    filters = selectors.RecordFilters(province="81")
    assert list(selectors.intangible_list(actor=minister, filters=filters)) == [a]
    f = FestivalFactory(organisation=tree.dept_b, status=RecordStatus.DRAFT)
    FestivalFactory(organisation=tree.dept_b)
    assert list(selectors.festival_list(actor=minister, filters=selectors.RecordFilters(status="draft"))) == [f]


def test_get_for_actor_404_for_unknown_and_403_for_other_units(tree):
    site = SiteFactory(organisation=tree.dept_b)
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(PermissionDenied):
        selectors.get_site_for_actor(officer, site.pk)
    with pytest.raises(Http404):
        selectors.get_site_for_actor(officer, 987654)
    with pytest.raises(Http404):
        selectors.get_site_for_actor(officer, "abc")
    other = person(Role.DEPARTMENT_OFFICER, tree.dept_b)
    assert selectors.get_site_for_actor(other, site.pk, HeritageAction.EDIT) == site
    with pytest.raises(PermissionDenied):
        selectors.get_site_for_actor(other, site.pk, HeritageAction.PUBLISH)


def test_home_cards_count_records_in_scope_and_drafts(tree):
    SiteFactory(organisation=tree.dept_a)
    SiteFactory(organisation=tree.dept_a, status=RecordStatus.DRAFT)
    SiteFactory(organisation=tree.dept_b, status=RecordStatus.DRAFT)
    cards = selectors.home_cards(actor=person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    assert [c.value for c in cards] == [2, 1]
    assert cards[1].url == reverse("heritage:manage_sites") + "?status=draft"
    assert selectors.home_cards(actor=person(Role.APPLICANT, tree.ministry)) == []


def test_home_page_shows_heritage_cards_and_nav(client, tree):
    SiteFactory(organisation=tree.dept_a, status=RecordStatus.DRAFT)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    body = client.get(reverse("ui:home")).content.decode()
    assert "Di tích chờ công bố" in body and reverse("heritage:manage_home") in body


def test_text_filter_finds_records_typed_without_diacritics(tree):
    from vhttdl.heritage import services

    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data={
        "code": "81-0001", "name": "Đình làng An Một", "rank": "national", "site_type": "historical",
        "province": tree.area_a, "latitude": 21.0, "longitude": 105.8})
    SiteFactory(organisation=tree.dept_a, name="Chùa khác")
    found = selectors.site_list(actor=officer, filters=selectors.RecordFilters(q="dinh an mot"))
    assert list(found) == [site]
    other = person(Role.DEPARTMENT_OFFICER, tree.dept_b)
    assert not selectors.site_list(actor=other, filters=selectors.RecordFilters(q="dinh an mot")).exists()
