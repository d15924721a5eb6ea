"""An officer imports a spreadsheet with errors, reads the report, fixes the file, imports it."""

from __future__ import annotations

import pytest

from tests.browser import log_in
from tests.core.factories import person
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "code,name,province_code,commune_code,rank,type,latitude,longitude\n"


def test_officer_imports_a_file_with_errors_then_the_fixed_file(page, tree, places, media_root, tmp_path):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a, username="chuyenviendisan")
    bad = tmp_path / "di-tich-loi.csv"
    bad.write_text(HEADER + "81-0001,Đình làng An Một,81,81001,quốc gia,kiến trúc nghệ thuật,21.03,105.85\n"
                   "81-0002,Chùa An Hai,81,81002,hạng nhất,lịch sử,18.0,109.3\n", encoding="utf-8")
    good = tmp_path / "di-tich-da-sua.csv"
    good.write_text(HEADER + "81-0001,Đình làng An Một,81,81001,quốc gia,kiến trúc nghệ thuật,21.03,105.85\n"
                    "81-0002,Chùa An Hai,81,81002,cấp tỉnh,lịch sử,21.05,105.87\n", encoding="utf-8")

    log_in(page, officer.username, "mat-khau-thu-nghiem")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Di sản văn hóa").click()
    page.get_by_role("heading", name="Di tích, danh thắng").wait_for()
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.get_by_label("Tệp CSV hoặc Excel (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra tệp").click()

    page.get_by_role("heading", name="Kết quả kiểm tra tệp").wait_for()
    assert page.get_by_role("alert").filter(has_text="Tệp còn lỗi").is_visible()
    row = page.locator('tr[data-row="3"]')
    assert row.first.get_by_role("rowheader").inner_text() == "3"
    report = page.locator("table.bo-report").inner_text()
    assert "Cấp xếp hạng “hạng nhất” không hợp lệ" in report
    assert "nằm ngoài lãnh thổ Việt Nam" in report
    assert page.get_by_role("button", name="Nhập 2 dòng").count() == 0
    assert Site.objects.count() == 0

    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    page.get_by_label("Tệp CSV hoặc Excel (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.get_by_text("Tệp hợp lệ: không có dòng nào lỗi.").wait_for()
    page.get_by_role("button", name="Nhập 2 dòng").click()

    page.get_by_text("Đã nhập 2 dòng: 2 di tích mới, 0 di tích cập nhật.").wait_for()
    assert page.get_by_role("link", name="Đình làng An Một").is_visible()
    assert page.get_by_role("link", name="Chùa An Hai").is_visible()
    page.get_by_role("link", name="Chùa An Hai").click()
    page.get_by_role("heading", name="Chùa An Hai").wait_for()
    assert page.get_by_role("definition").filter(has_text="Di tích cấp tỉnh").is_visible()
    assert set(Site.objects.values_list("code", flat=True)) == {"81-0001", "81-0002"}
