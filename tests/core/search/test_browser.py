"""A visitor types into the search box and gets results as they type; without JavaScript too."""

from __future__ import annotations

import pytest

from tests.core.search.factories import doc


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_results_appear_as_you_type_and_link_to_the_page(page):
    doc("Đền Hùng", "Khu di tích lịch sử quốc gia đặc biệt ở Phú Thọ.", url="/search/?q=den+hung+trang")
    doc("Chùa Một Cột", "Ngôi chùa ở Hà Nội.", url="/search/?q=chua+mot+cot+trang")
    page.goto(page.base_url + "/search/")
    box = page.get_by_label("Tìm di tích, di sản, lễ hội")
    box.press_sequentially("chua mot c", delay=40)
    results = page.locator("#search-results")
    link = results.get_by_role("link", name="Chùa Một Cột")
    link.wait_for()
    assert results.locator("mark").first.inner_text() == "Chùa"
    assert page.url.endswith("/search/")  # updated in place, no page load
    box.fill("")
    box.press_sequentially("den hungg", delay=40)  # one typo
    results.get_by_role("link", name="Đền Hùng").click()
    page.wait_for_url("**/search/?q=den+hung+trang")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_works_without_javascript(browser, live_server):
    doc("Phố cổ Hội An", "Di sản văn hóa thế giới.", url="/hoi-an/")
    context = browser.new_context(java_script_enabled=False, locale="vi-VN", viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search/")
        page.get_by_label("Tìm di tích, di sản, lễ hội").fill("hoi an")
        page.get_by_role("button", name="Tìm", exact=True).click()
        page.wait_for_url("**/search/?q=hoi+an")
        assert page.get_by_role("link", name="Phố cổ Hội An").is_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_is_told_which_words_were_left_out(page):
    doc("Phố cổ Hội An", "Di sản văn hóa thế giới.", url="/hoi-an/")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(page.base_url + "/search/")
    page.get_by_label("Tìm di tích, di sản, lễ hội").press_sequentially("hoi an xyzzyq", delay=30)
    notice = page.locator("#search-results .search-left-out")
    notice.wait_for()
    assert notice.inner_text() == "Không tìm thấy “xyzzyq”; kết quả cho “hoi an”."
    assert page.locator("#search-results").get_by_role("link", name="Phố cổ Hội An").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
