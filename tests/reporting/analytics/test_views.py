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


def _chart(html: str) -> str:
    return html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_bar_labels_are_short_names_and_the_svg_has_no_style(client, data):
    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    html = client.get(URL, {"de": ["EVENTS"], "start": "202401", "end": "202403", "level": "department"}
                      ).content.decode()
    svg = _chart(html)
    assert ">An</text>" in svg and ">Bình</text>" in svg  # the province, not "Sở …" for every bar
    assert "<title>Sở An</title>" in svg  # the full name in the tooltip
    assert "style=" not in html.split('id="pivot-result"', 1)[1]
    assert 'class="chart-data"' in html  # the figures as a table too


def test_disaggregations_are_named_in_the_table_legend_and_excel(client, data):
    from openpyxl import load_workbook

    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    query = {"de": ["VISITORS"], "start": "2024", "end": "2024", "grain": "quarterly", "level": "children",
             "parent": "SO-A", "by": "SEX", "chart": "line"}
    client.cookies["django_language"] = "en"
    html = client.get(URL, query).content.decode()
    assert "<td>Male</td>" in html and "SEX_M" not in html.split('id="pivot-result"', 1)[1]
    assert '<span class="swatch c0" aria-hidden="true"></span>' in html and "· Male</li>" in html
    assert "By Sex" in html and "By Giới tính" not in html
    rows = list(load_workbook(BytesIO(client.get(URL, {**query, "export": "xlsx"}).content)).active.iter_rows(
        values_only=True))
    assert any(row[1] == "Male" for row in rows) and not any(row[1] == "M" for row in rows)


def test_period_and_unit_pickers(client, data):
    client.force_login(person(Role.DEPARTMENT_OFFICER, data.dept_a))
    html = client.get(URL, {"start": "2024Q1", "end": "202412"}).content.decode()
    assert '<select id="f-start" name="start">' in html and '<select id="f-parent" name="parent">' in html
    assert '<option value="2024Q1" selected>' in html  # a code from a link stays chosen
    assert '<option value="202412" selected>' in html
    parent = html.split('id="f-parent"', 1)[1].split("</select>", 1)[0]
    assert 'value="SO-A"' in parent and 'value="SO-B"' not in parent  # only units the person may view


def test_charts_draw_readable_axes():
    from vhttdl.reporting.analytics import charts

    chart = charts.bar_chart([("An", "Sở An", 1147390.0), ("Bình", "Sở Bình", 5.0)], "Lượt khách")
    assert "1.147.390" in chart.svg and 'text-anchor="end"' in chart.svg
    assert chart.table_rows == [["Sở An", "1.147.390"], ["Sở Bình", "5"]]
    line = charts.line_chart(["Tháng 01/2025", "Tháng 02/2025"], [("An", [1.0, None]), ("Bình", [2.0, 3.0])], "t")
    assert line.legend == [(0, "An"), (1, "Bình")] and "style=" not in line.svg
    assert charts.nice_max(1147390) == 2_000_000 and charts.nice_max(0) == 1


def test_pivot_queries_do_not_grow_with_units_or_periods(client, data, meta, django_assert_max_num_queries):
    """Session, user, grants, predecessors, elements, units, values (the months, and the whole year from
    the year totals), the columns and their names, the categories and the parent units to choose from."""
    from tests.core.factories import make_org

    client.force_login(person(Role.DEPARTMENT_OFFICER, data.dept_a))
    query = {"de": ["EVENTS", "VISITORS"], "start": "202401", "end": "202412", "level": "unit", "by": "co"}
    with django_assert_max_num_queries(12):
        small = client.get(URL, query).content.decode()
    for index in range(5):
        museum = make_org(f"SO-A-BT{index}", parent=data.dept_a, kind="museum", area=data.area_a,
                          name=f"Bảo tàng An {index}")
        for month in ("202403", "202404", "202405"):
            aggregates_apply_submission(submission_id=report(meta, museum, month, {("EVENTS", "default"): "2"}).pk)
    with django_assert_max_num_queries(12):
        large = client.get(URL, query).content.decode()
    assert small.count("<tr><th scope=\"row\">") < large.count("<tr><th scope=\"row\">")
    assert "Bảo tàng An 4" in large and "Bảo tàng Bình" not in large


def test_the_form_sends_only_the_result(client, data, django_assert_max_num_queries):
    """htmx asks for the result alone: no pickers are read or written (their units, categories...).
    Session, user, grants, predecessors, elements, units (with their areas, for the short names), values."""
    client.force_login(person(Role.MINISTRY_OFFICER, data.ministry))
    query = {"de": ["EVENTS"], "start": "202401", "end": "202403", "level": "department"}
    page = client.get(URL, query).content.decode()
    with django_assert_max_num_queries(7):
        partial = client.get(URL, query, HTTP_HX_REQUEST="true").content.decode()
    assert '<select id="f-start" name="start">' in page and "<select" not in partial
    assert f'<div id="pivot-result">{partial}</div>' in page and "<svg" in partial


def test_the_month_pickers_follow_the_page_language(client, data):
    """The months offered are made once per process and language: a Vietnamese page first, then English."""
    client.force_login(person(Role.DEPARTMENT_OFFICER, data.dept_a))
    picker = client.get(URL).content.decode().split('id="f-start"', 1)[1].split("</select>", 1)[0]
    assert ">Tháng 01/" in picker and ">Month 01/" not in picker
    client.cookies["django_language"] = "en"
    picker = client.get(URL).content.decode().split('id="f-start"', 1)[1].split("</select>", 1)[0]
    assert ">Month 01/" in picker and ">Tháng 01/" not in picker
