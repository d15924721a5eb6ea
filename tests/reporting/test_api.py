import pytest

from tests.core.factories import person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db
API = "/api/v1/reporting"


@pytest.fixture
def form(tree):
    return make_form().form


def test_forms_and_layout(client, tree, form):
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    forms = client.get(f"{API}/forms").json()
    assert [f["code"] for f in forms] == ["T.01"] and forms[0]["version"] == 1
    detail = client.get(f"{API}/form", {"code": "T.01"}).json()
    visits = detail["sections"][0]["rows"][0]
    assert visits["element"] == "VISITS" and [c["code"] for c in visits["columns"]] == ["INTL", "DOM"]
    assert {r["code"] for r in detail["rules"]} == {"SO_HOA", "IT_KHACH"}
    assert client.get(f"{API}/form", {"code": "NOPE"}).status_code == 404


def test_open_fill_submit_over_the_api(client, tree, form):
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    r = client.post(
        f"{API}/submissions",
        {"form": "T.01", "organisation": "SO-A-BT", "period": "202501"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    sid, version = r.json()["id"], r.json()["version"]
    again = client.post(
        f"{API}/submissions",
        {"form": "T.01", "organisation": "SO-A-BT", "period": "202501"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == sid
    bad = client.put(
        f"{API}/submissions/{sid}/values",
        {"version": version, "cells": [{"element": "HELD", "value": "abc"}, {"element": "DIGITISED", "value": -1}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {e["element"] for e in bad.json()["details"]["errors"]} == {"HELD", "DIGITISED"}
    ok = client.put(
        f"{API}/submissions/{sid}/values",
        {
            "version": version,
            "cells": [
                {"element": "HELD", "value": 100},
                {"element": "DIGITISED", "value": "20"},
                {"element": "VISITS", "combo": "INTL", "value": "5", "comment": "Mùa thấp điểm"},
            ],
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json() == {"version": version + 1, "saved": 3, "deleted": 0}
    stale = client.put(
        f"{API}/submissions/{sid}/values",
        {"version": version, "cells": [{"element": "HELD", "value": 1}]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert {c["element"] for c in stale.json()["details"]["changed"]} == {"HELD", "DIGITISED", "VISITS"}
    detail = client.get(f"{API}/submissions/{sid}").json()
    assert detail["form"] == "T.01" and detail["organisation"] == "SO-A-BT" and detail["allowed"]["submit"]
    assert {"element": "VISITS", "combo": "INTL", "value": "5", "comment": "Mùa thấp điểm"} in detail["values"]
    assert detail["rule_failures"][0]["code"] == "IT_KHACH"
    sub = client.post(f"{API}/submissions/{sid}/submit", {"version": version + 1}, content_type="application/json")
    assert sub.status_code == 200 and sub.json()["status"] == "submitted"
    assert sub.json()["warnings"] and "Lượt khách" in sub.json()["warnings"][0]


def test_workflow_errors_have_the_one_shape(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    v = {"version": submission.version}
    r = client.post(f"{API}/submissions/{submission.pk}/approve", v, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "wrong_status"
    r = client.put(f"{API}/submissions/{submission.pk}/values", {**v, "cells": []}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_b))
    r = client.get(f"{API}/submissions/{submission.pk}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    r = client.post(
        f"{API}/submissions",
        {"form": "T.01", "organisation": "SO-A-BT", "period": "2025Q1"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "period_type_mismatch"


def test_approve_accept_return(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    submission.status = Submission.Status.SUBMITTED
    submission.save()
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    r = client.post(
        f"{API}/submissions/{submission.pk}/approve", {"version": submission.version}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    r = client.post(f"{API}/submissions/{submission.pk}/accept", {"version": submission.version + 1},
                    content_type="application/json")
    assert r.json()["status"] == "accepted"
    v = {"version": r.json()["version"]}
    r = client.post(f"{API}/submissions/{submission.pk}/return", {**v, "reason": ""}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = client.post(
        f"{API}/submissions/{submission.pk}/return", {**v, "reason": "Sai đơn vị tính"},
        content_type="application/json",
    )
    assert r.json()["status"] == "returned"
    assert DataValue.objects.filter(submission=submission).count() == 6


def test_list_is_scoped_and_query_bounded(client, tree, form, django_assert_max_num_queries):
    for code in ("202401", "202402", "202403", "202404"):
        filled_submission(form, tree.museum_a, period_code=code)
        filled_submission(form, tree.museum_b, period_code=code)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_b))
    with django_assert_max_num_queries(8):  # session, user, grants, scope, count, page: not one per row
        body = client.get(f"{API}/submissions").json()
    assert body["count"] == 4 and {i["organisation"] for i in body["items"]} == {"SO-B-BT"}
    assert client.get(f"{API}/submissions", {"period": "202402"}).json()["count"] == 1


def test_completeness_api(client, tree, form):
    filled_submission(form, tree.museum_a, period_code="202501")
    client.force_login(person(Role.MINISTRY_LEADER, tree.ministry))
    body = client.get(f"{API}/completeness", {"form": "T.01", "start": "202501", "end": "202502"}).json()
    assert body["periods"] == ["202501", "202502"]
    assert body["national"]["expected"] == 8 and body["national"]["submitted"] == 0
    assert body["by_period"][0]["expected"] == 4


def test_opening_another_units_report_reveals_nothing(client, tree, form):
    """D1: it used to answer 201 with the other unit's report (id, status, return reason)."""
    existing = filled_submission(form, tree.museum_b)
    Submission.objects.filter(pk=existing.pk).update(status=Submission.Status.RETURNED,
                                                     returned_reason="Thiếu số liệu hiện vật")
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    for organisation in ("SO-B-BT", "SO-A"):  # another province's museum; my own department
        response = client.post(
            f"{API}/submissions", {"form": "T.01", "organisation": organisation, "period": "202501"},
            content_type="application/json",
        )
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "forbidden" and set(response.json()) == {"code", "message", "details"}
        assert "hiện vật" not in response.content.decode() and "returned" not in response.content.decode()
    assert Submission.objects.count() == 1
