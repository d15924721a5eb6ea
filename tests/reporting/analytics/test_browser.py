"""A Ministry officer builds a pivot with the keyboard-usable form, sees the chart, switches history view."""

from __future__ import annotations

import pytest

from tests.browser import log_in
from tests.core.factories import person
from tests.reporting.analytics.builders import build_closed_department, build_metadata, report
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.analytics.services import aggregates_apply_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_builds_a_pivot_across_the_merger(page, tree):
    meta = build_metadata()
    old = build_closed_department(tree)
    for unit, value in ((old, "40"), (tree.dept_a, "2"), (tree.museum_b, "7")):
        sub = report(meta, unit, "202403", {("EVENTS", "default"): value})
        aggregates_apply_submission(submission_id=sub.pk)
    officer = person(Role.MINISTRY_OFFICER, tree.ministry)
    log_in(page, officer.username, "mat-khau-thu-nghiem")

    page.goto(page.base_url + "/reporting/analytics/")
    page.get_by_label("Chỉ tiêu").select_option("EVENTS")
    page.get_by_label("Từ tháng").select_option("202401")  # pickers, not typed codes
    page.get_by_label("Đến tháng").select_option("202412")
    page.get_by_label("Chia theo").select_option("quarterly")
    page.get_by_label("Số liệu trước sáp nhập").select_option("today")
    page.get_by_role("button", name="Tổng hợp").click()
    page.get_by_role("columnheader", name="Quý 1/2024").wait_for()  # the new result has replaced the default one
    table = page.get_by_role("table")
    row = table.get_by_role("row").filter(has_text="Sở An")
    row.wait_for()
    assert row.get_by_role("cell").nth(0).inner_text() == "42"  # Q1: Sở An today includes Sở Cũ's 40
    assert page.locator("figure svg rect").count() >= 2
    assert table.get_by_role("row").filter(has_text="Sở Cũ").count() == 0

    page.get_by_label("Số liệu trước sáp nhập").select_option("as_reported")
    page.get_by_label("Biểu đồ").select_option("line")
    page.get_by_role("button", name="Tổng hợp").click()
    page.get_by_role("row").filter(has_text="Sở Cũ").wait_for()
    assert page.get_by_role("row").filter(has_text="Sở An").get_by_role("cell").nth(0).inner_text() == "2"
    assert page.locator("figure svg polyline").count() >= 1
    assert "history=as_reported" in page.url  # the choice is in the address: shareable, back button works
