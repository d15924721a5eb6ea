"""A ministry official rearranges a form's layout in the visual builder, by keyboard and by dragging."""

from __future__ import annotations

import pytest

from tests.browser import log_in
from tests.core.factories import person
from tests.reporting.factories import make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.services import metadata

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused_label(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.id")


def test_official_builds_a_layout_without_code(page, tree):
    made = make_form()
    metadata.data_element_save(actor=SYSTEM, code="STAFF", name="Số người lao động", unit_of_measure="người")
    official = person(Role.MINISTRY_OFFICER, tree.ministry, username="chuyenvien")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, official.username, "mat-khau-thu-nghiem")
    page.goto(page.base_url + f"/reporting/design/forms/{made.form.pk}/")

    # The builder is the default tab; the text editor stays one click away.
    assert page.get_by_role("tab", name="Trình thiết kế").get_attribute("aria-selected") == "true"
    assert not page.locator("#id_text").is_visible()
    assert page.get_by_label("Tên mục *").first.input_value() == "I. Khách"
    visits = page.locator('.lb-row[data-code="VISITS"]')
    assert visits.get_by_role("columnheader", name="Quốc tế").is_visible()
    assert visits.get_by_role("columnheader", name="Nội địa").is_visible()

    # A new section, named, with an element found by typing without diacritics; keyboard only.
    page.get_by_role("button", name="Thêm mục").click()
    assert page.evaluate("document.activeElement.id") == "lb-title-2"
    page.keyboard.type("III. Lao động")
    page.get_by_role("button", name="Thêm chỉ tiêu vào mục «III. Lao động»").click()
    search = page.get_by_label("Tìm chỉ tiêu theo mã hoặc tên")
    search.type("khach")
    taken = page.get_by_role("button", name="VISITS · Lượt khách (Nguồn khách) — đã có trong biểu")
    assert taken.is_disabled()
    search.fill("")
    search.type("lao dong")
    page.get_by_text("1 chỉ tiêu phù hợp").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator('.lb-section[data-s="2"] .lb-row[data-code="STAFF"]').wait_for()
    page.get_by_role("button", name="Đóng").click()

    # Move DIGITISED up twice: above HELD, then across into the end of section I; focus follows.
    up = page.get_by_role("button", name="Chuyển lên: Số hiện vật số hóa")
    up.focus()
    page.keyboard.press("Enter")
    assert _focused_label(page) == "Chuyển lên: Số hiện vật số hóa"
    page.keyboard.press("Enter")
    assert page.locator('.lb-section[data-s="0"] .lb-row').last.get_attribute("data-code") == "DIGITISED"
    assert "Đã chuyển Số hiện vật số hóa tới vị trí 4" in page.locator("#builder-status").inner_text()

    page.get_by_role("button", name="Bỏ khỏi biểu: Tỷ lệ").click()
    assert page.locator('.lb-row[data-code="RATE"]').count() == 0

    # Drag REVENUE by its handle onto the upper half of STAFF: it lands before STAFF in section III.
    # (A tall window keeps both in view: Playwright's drag does not scroll the way a person's does.)
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.locator('.lb-row[data-code="REVENUE"] .lb-handle').drag_to(
        page.locator('.lb-row[data-code="STAFF"]'), target_position={"x": 40, "y": 4}
    )
    codes = page.locator('.lb-section[data-s="2"] .lb-row').evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes == ["REVENUE", "STAFF"]

    held = page.locator('.lb-row[data-code="HELD"]')
    held.get_by_text("Nhãn riêng", exact=True).click()
    held.get_by_label("Nhãn riêng (không bắt buộc)").fill("Hiện vật đang giữ")
    held.get_by_label("Nhãn riêng tiếng Anh").fill("Objects held")
    assert page.get_by_role("button", name="Bỏ khỏi biểu: Hiện vật đang giữ").is_visible()

    # A section without a name is shown where it is, and nothing is sent.
    first_title = page.get_by_label("Tên mục *").first
    first_title.fill("")
    page.get_by_role("button", name="Lưu bố cục").first.click()
    page.get_by_text("Mục thứ 1 chưa có tên.").wait_for()
    assert first_title.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "lb-title-0"
    assert made.version.__class__.objects.get(pk=made.version.pk).layout["sections"][0]["title"] == "I. Khách"

    first_title.fill("I. Khách và doanh thu")
    page.get_by_role("button", name="Lưu bố cục").first.click()
    page.get_by_text("Đã lưu bố cục").wait_for()
    made.version.refresh_from_db()
    assert made.version.layout == {
        "sections": [
            {
                "title": "I. Khách và doanh thu",
                "title_en": "",
                "rows": [
                    {"element": "VISITS", "label": "", "label_en": ""},
                    {"element": "DIGITISED", "label": "", "label_en": ""},
                ],
            },
            {
                "title": "II. Hiện vật",
                "title_en": "",
                "rows": [{"element": "HELD", "label": "Hiện vật đang giữ", "label_en": "Objects held"}],
            },
            {
                "title": "III. Lao động",
                "title_en": "",
                "rows": [
                    {"element": "REVENUE", "label": "", "label_en": ""},
                    {"element": "STAFF", "label": "", "label_en": ""},
                ],
            },
        ]
    }
    # The saved layout comes back into the builder, and the text tab shows the same.
    assert page.get_by_label("Tên mục *").nth(2).input_value() == "III. Lao động"
    page.get_by_role("tab", name="Nâng cao: sửa dạng văn bản").click()
    text = page.locator("#id_text").input_value()
    assert "HELD | Hiện vật đang giữ | Objects held" in text
    assert not errors, errors
