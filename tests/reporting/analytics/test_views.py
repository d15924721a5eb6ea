"""The pivot page: table, chart, Excel export, scoping."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.analytics.services import aggregates_apply_submission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reporting.analytics.urls")]

URL = "/reporting/analytics/"


@pytest.fixture
def data(tree, meta):
    for unit, month, events in ((tree.museum_a, "202401", "4"), (tree.museum_b, "202402", "6")):
        sub = report(meta, unit, month, {("EVENTS", "default"): events, ("VISITORS", "SEX_M"): "3"})
        aggregates_apply_submission(submission_id=sub.pk)
    return tree


def test_pivot_table_and_bar_chart(client, data):
    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    response = client.get(URL, {"de": ["EVENTS"], "start": "202401", "end": "202403", "grain": "monthly",
                                "level": "department"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở An" in html and "Sở Bình" in html
    assert "<svg" in html and "<rect" in html
    assert "Tháng 01/2024" in html


def test_line_chart_children_and_disaggregation(client, data):
    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    response = client.get(URL, {"de": ["VISITORS"], "start": "2024", "end": "2024", "grain": "quarterly",
                                "level": "children", "parent": "SO-A", "by": "SEX", "chart": "line"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bảo tàng An" in html and "<polyline" in html
    assert "Quý 1/2024" in html


def test_excel_export(client, data):
    from openpyxl import load_workbook

    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    response = client.get(URL, {"de": ["EVENTS"], "start": "2024", "end": "2024", "grain": "yearly",
                                "level": "national", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(row[0] == "Bộ Thử" and row[2] == 10 for row in rows)


def test_bad_range_shows_a_message(client, data):
    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    response = client.get(URL, {"de": ["EVENTS"], "start": "202405", "end": "202401"})
    assert response.status_code == 200
    assert "alert err" in response.content.decode()


def test_a_department_sees_only_its_subtree(client, data):
    client.force_login(person(Role.DEPARTMENT_OFFICER, data.dept_b))
    html = client.get(URL, {"de": ["EVENTS"], "start": "2024", "end": "2024", "grain": "yearly",
                            "level": "unit"}).content.decode()
    assert "Bảo tàng Bình" in html and "Bảo tàng An" not in html


def test_people_without_reporting_rights_are_refused(client, data):
    client.force_login(person(Role.APPLICANT, data.ministry))
    assert client.get(URL).status_code == 403
