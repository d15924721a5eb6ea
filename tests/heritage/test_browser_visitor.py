"""A visitor on the public portal, click by click: search without diacritics, open a site from the
map's list, switch to English (translated page, then the Vietnamese fallback note)."""

from __future__ import annotations

import re

import pytest

from tests.core.factories import AreaFactory, current_version, make_org
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.heritage.models import SiteRank, SiteType
from vhttdl.heritage.portal import pointindex
from vhttdl.heritage.services import site_create, site_translation_set


@pytest.fixture
def two_sites(db):
    pointindex.clear()
    phu_tho = AreaFactory(code="25", name="Tỉnh Phú Thọ", short_name="Phú Thọ", latitude=21.3, longitude=105.2)
    ha_noi = AreaFactory(code="01", name="Thành phố Hà Nội", short_name="Hà Nội", latitude=21.03, longitude=105.85)
    hung = site_create(actor=SYSTEM, publish=True, data={
        "code": "DT-HUNG", "name": "Khu di tích lịch sử Đền Hùng", "rank": SiteRank.SPECIAL_NATIONAL,
        "site_type": SiteType.HISTORICAL, "province": phu_tho, "organisation": make_org("SO-25", area=phu_tho),
        "latitude": 21.3667, "longitude": 105.3236, "description": "Nơi thờ các Vua Hùng.",
    })
    mot_cot = site_create(actor=SYSTEM, publish=True, data={
        "code": "DT-MOTCOT", "name": "Chùa Một Cột", "rank": SiteRank.SPECIAL_NATIONAL,
        "site_type": SiteType.ARCHITECTURAL_ARTISTIC, "province": ha_noi,
        "organisation": make_org("SO-01", area=ha_noi), "latitude": 21.0359, "longitude": 105.8336,
        "description": "Ngôi chùa dựng trên một cột đá giữa hồ sen.",
    })
    site_translation_set(actor=SYSTEM, site=mot_cot, language="en", name="One Pillar Pagoda",
                         description="A pagoda standing on a single stone pillar in a lotus pond.",
                         version=current_version(mot_cot))
    yield hung, mot_cot
    pointindex.clear()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_searches_opens_a_site_from_the_map_and_switches_to_english(page, two_sites):
    from playwright.sync_api import expect

    page.goto(page.base_url + "/heritage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bản đồ di tích")

    # Search without diacritics: results appear as the visitor types.
    box = page.get_by_label("Tìm di tích, di sản, lễ hội")
    box.fill("den hung")
    expect(page.locator("#portal-search-results")).to_contain_text("Đền Hùng")
    box.fill("chua mot cot")
    results = page.locator("#portal-search-results")
    expect(results).to_contain_text("Chùa Một Cột")
    expect(results).not_to_contain_text("Đền Hùng")
    box.fill("")

    # The list beside the map follows the map: both sites are in the first view.
    site_list = page.locator("#site-list")
    expect(site_list.get_by_role("link", name=re.compile("Chùa Một Cột"))).to_be_visible()
    expect(site_list.get_by_role("link", name=re.compile("Đền Hùng"))).to_be_visible()
    expect(page.locator("#map-status")).to_contain_text("2")

    # Keyboard: focus the first site in the list, move with the arrow key, open with Enter.
    site_list.get_by_role("link").first.focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Đền Hùng" in focused or "Chùa Một Cột" in focused
    site_list.get_by_role("link", name=re.compile("Chùa Một Cột")).click()
    expect(page).to_have_url(re.compile(r"/heritage/sites/DT-MOTCOT/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chùa Một Cột")

    # The language switch in the header: the English page where a translation exists...
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One Pillar Pagoda")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("translation-fallback")).to_have_count(0)

    # The map's list follows the chosen language too.
    page.goto(page.base_url + "/heritage/")
    expect(page.locator("#site-list").get_by_role("link", name=re.compile("One Pillar Pagoda"))).to_be_visible()

    # ... and Vietnamese with a note where it does not.
    page.goto(page.base_url + "/heritage/sites/DT-HUNG/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khu di tích lịch sử Đền Hùng")
    expect(page.get_by_test_id("translation-fallback")).to_contain_text("No English translation yet")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_on_a_phone_sees_the_map_above_the_list(browser, live_server, two_sites):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(live_server.url + "/heritage/")
        from playwright.sync_api import expect

        expect(phone.locator("#site-list").get_by_role("link").first).to_be_visible()
        map_box = phone.locator("#map").bounding_box()
        list_box = phone.locator(".map-list").bounding_box()
        assert map_box["width"] > 300
        assert list_box["y"] >= map_box["y"] + map_box["height"]  # stacked: the list under the map
    finally:
        context.close()
