"""A department officer's first minute, click by click, in Debian's chromium."""

from __future__ import annotations

import pytest

from tests.browser import log_in
from tests.core.factories import person
from vhttdl.core.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_switches_language_and_sees_home(page, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a, username="chuyenvien", full_name="Hoàng Đức Anh")
    log_in(page, officer.username, "mat-khau-thu-nghiem")

    page.get_by_role("heading", name="Xin chào, Hoàng Đức Anh").wait_for()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_text("Vai trò của bạn").is_visible()
    assert page.locator(".header-unit").inner_text() == "Sở An"
    assert page.get_by_role("cell", name="Chuyên viên Sở").is_visible()

    page.get_by_role("button", name="EN").click()
    page.get_by_role("heading", name="Hello, Hoàng Đức Anh").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Your roles").is_visible()
    assert page.get_by_role("cell", name="Department officer").is_visible()
    assert page.get_by_role("navigation").get_by_role("link", name="Units", exact=True).is_visible()

    page.get_by_role("navigation").get_by_role("link", name="Units", exact=True).click()
    page.get_by_role("heading", name="Unit tree").wait_for()
    assert page.get_by_role("link", name="Bảo tàng An").is_visible()
    assert page.get_by_text("Bảo tàng Bình").count() == 0

    page.get_by_role("button", name="VI").click()
    page.get_by_role("heading", name="Cây đơn vị").wait_for()


def test_wrong_password_and_keyboard_only_login(page, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a, username="banphim")
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.keyboard.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "không đúng" in page.get_by_role("alert").inner_text()
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Xin chào").wait_for()
