"""A museum officer fills the paper-like grid with the keyboard, sees autosave and checks, and submits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser import log_in
from tests.core.factories import person
from tests.reporting.factories import make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import DataValue, Submission
from vhttdl.reporting.periods import period_containing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_fills_the_grid_and_submits(page, tree):
    make_form()
    staff = person(Role.UNIT_STAFF, tree.museum_a, username="canbo", full_name="Đỗ Quang Huy")
    log_in(page, staff.username, "mat-khau-thu-nghiem")

    page.get_by_role("navigation").get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Báo cáo của đơn vị tôi").click()
    current = period_containing("monthly", timezone.localdate())
    row = page.get_by_role("row").filter(has_text=current)
    row.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_role("heading", name="T.01 · Biểu thử T.01").wait_for()

    intl = page.get_by_role("textbox", name="Lượt khách – Quốc tế", exact=True)
    intl.fill("1.200")
    page.keyboard.press("ArrowRight")  # the caret is at the end: move to the next column
    dom = page.get_by_role("textbox", name="Lượt khách – Nội địa", exact=True)
    assert page.evaluate("document.activeElement.id") == dom.get_attribute("id")
    dom.fill("800")
    page.keyboard.press("Enter")  # next row, same column (clamped): Doanh thu
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Doanh thu")
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    page.keyboard.type("45")
    page.keyboard.press("Enter")
    page.keyboard.type("abc")  # Số hiện vật: not a number
    page.keyboard.press("Enter")
    page.keyboard.type("100")
    page.keyboard.press("Tab")
    page.get_by_text("không phải là số").wait_for()
    assert page.get_by_role("textbox", name="Số hiện vật – Tổng số", exact=True).get_attribute("aria-invalid") == "true"
    assert page.locator('[data-total-for="VISITS"]').inner_text().replace(".", "") == "2000"
    page.locator("#save-status").filter(has_text="Chưa lưu được").wait_for()

    held = page.get_by_role("textbox", name="Số hiện vật – Tổng số", exact=True)
    held.fill("1000")
    held.press("Tab")
    page.locator("#save-status").filter(has_text="Đã lưu lúc").wait_for()
    submission = Submission.objects.get(organisation=tree.museum_a)
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1000"
    assert (
        DataValue.objects.get(
            submission=submission, data_element__code="VISITS", category_option_combo__code="INTL"
        ).value
        == "1200"
    )

    page.get_by_role("button", name="Nộp báo cáo").click()
    # A confirmation page first: what submitting does and who acts next; nothing changes until confirmed.
    page.get_by_role("heading", name="Nộp báo cáo?").wait_for()
    assert page.get_by_text("Chờ lãnh đạo Sở An duyệt").is_visible()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo.").wait_for()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert page.get_by_role("textbox", name="Số hiện vật – Tổng số", exact=True).get_attribute("readonly") is not None


def test_two_people_editing_the_same_report_never_overwrite_silently(page, browser, live_server, tree):
    from tests.reporting.factories import filled_submission

    form = make_form().form
    submission = filled_submission(form, tree.museum_a)
    first = person(Role.UNIT_STAFF, tree.museum_a, username="nguoi1")
    second = person(Role.UNIT_STAFF, tree.museum_a, username="nguoi2")
    url = f"/reporting/submissions/{submission.pk}/"
    log_in(page, first.username, "mat-khau-thu-nghiem")
    page.goto(page.base_url + url)
    other_context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 860})
    other = other_context.new_page()
    other.set_default_timeout(15_000)
    other.base_url = live_server.url
    log_in(other, second.username, "mat-khau-thu-nghiem")
    other.goto(other.base_url + url)
    alerts = []
    other.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.accept()))

    held = page.get_by_role("textbox", name="Số hiện vật – Tổng số", exact=True)
    held.fill("1500")
    held.press("Tab")
    page.locator("#save-status").filter(has_text="Đã lưu lúc").wait_for()

    theirs = other.get_by_role("textbox", name="Số hiện vật – Tổng số", exact=True)
    theirs.fill("1600")
    theirs.press("Tab")
    other.get_by_text("Người khác đã lưu giá trị khác cho ô này").wait_for()
    assert alerts and "người khác" in alerts[0]
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1500"

    # A cell nobody else touched still saves, against the new version.
    revenue = other.get_by_role("textbox", name="Doanh thu – Tổng số", exact=True)
    revenue.fill("99")
    revenue.press("Tab")
    other.locator("#save-status").filter(has_text="Đã lưu lúc").wait_for()
    assert DataValue.objects.get(submission=submission, data_element__code="REVENUE").value == "99"
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1500"
    other_context.close()
