"""GET /api/v1/analytics: the DHIS2-like shape, dimensions, history views, scoping, bad input."""

from __future__ import annotations

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import build_closed_department, report
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.analytics.services import aggregates_apply_submission

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics"


@pytest.fixture
def data(tree, meta):
    old = build_closed_department(tree)
    subs = [
        report(meta, tree.museum_a, "202401", {("VISITORS", "SEX_M"): "10", ("VISITORS", "SEX_F"): "5",
                                               ("EVENTS", "default"): "1"}),
        report(meta, tree.museum_b, "202402", {("VISITORS", "SEX_F"): "7", ("EVENTS", "default"): "2"}),
        report(meta, old, "202403", {("EVENTS", "default"): "30"}),
    ]
    for s in subs:
        aggregates_apply_submission(submission_id=s.pk)
    return tree


def get(client, user, *dimensions, **params):
    client.force_login(user)
    query = [("dimension", d) for d in dimensions] + list(params.items())
    from urllib.parse import urlencode

    return client.get(f"{URL}?{urlencode(query)}")


def test_shape_and_values(client, data):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    response = get(client, boss, "dx:VISITORS;EVENTS", "pe:2024Q1;202402", "ou:BO;SO-A")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "value"]
    rows = {tuple(r[:3]): r[3] for r in body["rows"]}
    assert rows[("VISITORS", "2024Q1", "BO")] == "22"
    assert rows[("VISITORS", "202402", "BO")] == "7"
    assert rows[("EVENTS", "2024Q1", "BO")] == "33"
    assert rows[("EVENTS", "2024Q1", "SO-A")] == "31"  # today's view: SO-C-2025's figures counted in SO-A
    assert body["metaData"]["items"]["SO-A"]["name"] == "Sở An"
    assert body["metaData"]["items"]["2024Q1"]["name"]
    assert body["metaData"]["dimensions"]["ou"] == ["BO", "SO-A"]


def test_as_reported_view_and_levels(client, data):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    body = get(client, boss, "dx:EVENTS", "pe:2024", "ou:BO;LEVEL-2", history="as_reported").json()
    rows = {r[2]: r[3] for r in body["rows"]}
    assert rows == {"SO-A": "1", "SO-B": "2", "SO-C-2025": "30"}
    body = get(client, boss, "dx:EVENTS", "pe:2024", "ou:BO;LEVEL-2", history="today").json()
    assert {r[2]: r[3] for r in body["rows"]} == {"SO-A": "31", "SO-B": "2"}


def test_disaggregation_dimension(client, data):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    body = get(client, boss, "dx:VISITORS", "pe:2024", "ou:BO", "SEX").json()
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "SEX", "value"]
    assert sorted(body["rows"]) == [["VISITORS", "2024", "BO", "F", "12"], ["VISITORS", "2024", "BO", "M", "10"]]
    body = get(client, boss, "dx:VISITORS", "pe:2024", "ou:BO", "co").json()
    assert {r[3] for r in body["rows"]} == {"SEX_M", "SEX_F"}


@pytest.mark.parametrize(
    ("role", "home", "ou", "status"),
    [
        (Role.MINISTRY_OFFICER, "ministry", "BO", 200),
        (Role.DEPARTMENT_LEADER, "dept_a", "SO-A", 200),
        (Role.DEPARTMENT_LEADER, "dept_a", "SO-B", 403),
        (Role.DEPARTMENT_OFFICER, "dept_b", "SO-A-BT", 403),
        (Role.UNIT_STAFF, "museum_a", "SO-A-BT", 200),
        (Role.UNIT_STAFF, "museum_a", "SO-A", 403),
        (Role.UNIT_STAFF, "museum_a", "BO", 403),
        (Role.APPLICANT, "ministry", "BO", 403),
    ],
)
def test_scoping_matrix(client, data, role, home, ou, status):
    user = person(role, getattr(data, home))
    response = get(client, user, "dx:EVENTS", "pe:2024", f"ou:{ou}")
    assert response.status_code == status, response.content
    if status == 403:
        assert response.json()["code"] == "forbidden"


def test_level_is_limited_to_the_callers_units(client, data):
    officer = person(Role.DEPARTMENT_OFFICER, data.dept_b)
    body = get(client, officer, "dx:EVENTS", "pe:2024", "ou:LEVEL-3").json()
    assert {r[2] for r in body["rows"]} == {"SO-B-BT"}


def test_a_department_sees_its_predecessors_history(client, data):
    leader = person(Role.DEPARTMENT_LEADER, data.dept_a)
    response = get(client, leader, "dx:EVENTS", "pe:2024", "ou:SO-C-2025", history="as_reported")
    assert response.status_code == 200
    assert response.json()["rows"] == [["EVENTS", "2024", "SO-C-2025", "30"]]


@pytest.mark.parametrize(
    ("dimensions", "code"),
    [
        (["dx:EVENTS", "pe:2024"], "missing_dimension"),
        (["dx:NOPE", "pe:2024", "ou:BO"], "unknown_data_element"),
        (["dx:EVENTS", "pe:2024X", "ou:BO"], "invalid_period"),
        (["dx:EVENTS", "pe:2024", "ou:NOPE"], "unknown_org_unit"),
        (["dx:EVENTS", "pe:2024", "ou:LEVEL-x"], "bad_org_unit"),
    ],
)
def test_bad_input_is_a_400_with_a_reason(client, data, dimensions, code):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    response = get(client, boss, *dimensions)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_relative_periods(client, data):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    response = get(client, boss, "dx:EVENTS", "pe:LAST_12_MONTHS;LAST_5_YEARS", "ou:BO")
    assert response.status_code == 200
    assert len(response.json()["metaData"]["dimensions"]["pe"]) == 17


def test_query_count_does_not_grow_with_units(client, data, django_assert_max_num_queries):
    boss = person(Role.MINISTRY_LEADER, data.ministry)
    client.force_login(boss)
    with django_assert_max_num_queries(12):
        response = client.get(f"{URL}?dimension=dx:EVENTS;VISITORS&dimension=pe:LAST_12_MONTHS;2024"
                              f"&dimension=ou:BO;LEVEL-2;LEVEL-3")
    assert response.status_code == 200


def test_requires_authentication(client, data):
    assert client.get(f"{URL}?dimension=dx:EVENTS&dimension=pe:2024&dimension=ou:BO").status_code == 401


def test_people_without_reporting_rights_get_403_for_levels_too(client, data):
    response = get(client, person(Role.APPLICANT, data.ministry), "dx:EVENTS", "pe:2024", "ou:LEVEL-2")
    assert response.status_code == 403
