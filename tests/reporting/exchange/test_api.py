"""POST/GET /api/v1/dataValueSets: JSON, CSV, ADX; dry run; conflicts never 500; scoping; one audit entry."""

from __future__ import annotations

import json

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db

URL = "/api/v1/dataValueSets"


def post(client, user, body, content_type="application/json", **params):
    client.force_login(user)
    from urllib.parse import urlencode

    data = json.dumps(body) if isinstance(body, dict) else body
    return client.post(f"{URL}?{urlencode(params)}" if params else URL, data=data, content_type=content_type)


def museum_set(**extra):
    return {"dataSet": "BM01", "period": "202401", "orgUnit": "SO-A-BT", **extra, "dataValues": [
        {"dataElement": "EVENTS", "value": "4"},
        {"dataElement": "VISITORS", "categoryOptionCombo": "SEX_M", "value": "10", "comment": "mùa thấp điểm"},
        {"dataElement": "VISITORS", "categoryOptionCombo": "SEX_F", "value": "1.234"},
    ]}


@pytest.fixture
def staff(tree, meta):
    return person(Role.UNIT_STAFF, tree.museum_a)


def test_json_import_creates_a_draft_and_reports_counts(client, staff):
    response = post(client, staff, museum_set())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    sub = Submission.objects.get()
    assert sub.status == Submission.Status.DRAFT and sub.form.code == "BM01" and sub.period.code == "202401"
    assert sub.form_version.number == 1
    values = {(v.data_element.code, v.category_option_combo.code): (v.value, v.comment)
              for v in DataValue.objects.select_related("data_element", "category_option_combo")}
    assert values == {("EVENTS", "default"): ("4", ""), ("VISITORS", "SEX_M"): ("10", "mùa thấp điểm"),
                      ("VISITORS", "SEX_F"): ("1234", "")}
    assert AuditEntry.objects.filter(action="reporting.datavalues_import").count() == 1

    again = post(client, staff, museum_set()).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    changed = museum_set()
    changed["dataValues"][0]["value"] = "5"
    changed["dataValues"][1]["value"] = ""
    body = post(client, staff, changed).json()
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 1}
    assert Submission.objects.get().version == 3  # each import that changed values bumps the report's version


def test_dry_run_writes_nothing(client, staff):
    body = post(client, staff, museum_set(), dryRun="true").json()
    assert body["dryRun"] is True
    assert body["importCount"]["imported"] == 3
    assert not Submission.objects.exists() and not DataValue.objects.exists()
    assert not AuditEntry.objects.filter(action="reporting.datavalues_import").exists()


def test_bad_values_become_conflicts_with_reasons(client, tree, staff):
    body = {"dataSet": "BM01", "period": "202401", "orgUnit": "SO-A-BT", "dataValues": [
        {"dataElement": "EVENTS", "value": "-3"},
        {"dataElement": "EVENTS", "value": "4", "orgUnit": "SO-B-BT"},
        {"dataElement": "NOPE", "value": "1"},
        {"dataElement": "EVENTS", "value": "1", "orgUnit": "XX-99"},
        {"dataElement": "EVENTS", "value": "1", "period": "2024Q1"},
        {"dataElement": "EVENTS", "value": "1", "period": "2024-13"},
        {"dataElement": "VISITORS", "value": "1"},
        {"dataElement": "VISITORS", "categoryOptionCombo": "default", "value": "1"},
        {"dataElement": "RATE", "value": "mười"},
        {"dataElement": "STOCK", "value": "12"},
    ]}
    response = post(client, staff, body)
    assert response.status_code == 200
    summary = response.json()
    assert summary["status"] == "WARNING"
    assert summary["importCount"]["imported"] == 1
    assert summary["conflictCount"] == 9
    reasons = " | ".join(c["value"] for c in summary["conflicts"])
    for fragment in ("không được âm", "SO-B-BT", "NOPE", "XX-99", "2024Q1", "2024-13", "categoryOptionCombo",
                     "không thuộc chỉ tiêu VISITORS", "không phải là số"):
        assert fragment in reasons, fragment
    assert all(c["indexes"] for c in summary["conflicts"])


def test_conflict_reasons_follow_the_request_language(client, staff):
    client.force_login(staff)
    response = client.post(URL, data=json.dumps({"dataSet": "BM01", "period": "202401", "orgUnit": "SO-A-BT",
                                                 "dataValues": [{"dataElement": "NOPE", "value": "1"}]}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["status"] == "ERROR"
    assert "NOPE" in response.json()["conflicts"][0]["value"]
    assert "Không" not in response.json()["conflicts"][0]["value"]


def test_locked_reports_refuse_values(client, tree, meta, staff):
    report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "2"}, status=Submission.Status.SUBMITTED)
    body = post(client, staff, museum_set()).json()
    assert body["importCount"]["imported"] == 0 and body["conflictCount"] == 3
    assert "khóa" in body["conflicts"][0]["value"]
    assert DataValue.objects.get().value == "2"


def test_csv_import(client, staff):
    csv_body = ("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,"
                "comment,followup\n"
                "EVENTS,202402,SO-A-BT,,,7,,,,false\n"
                "VISITORS,202402,SO-A-BT,SEX_F,,3,,,ghi chú,false\n"
                "EVENTS,202402,SO-A-BT,,,x,,,,false\n")
    body = post(client, staff, csv_body, content_type="application/csv").json()
    assert body["importCount"]["imported"] == 2
    assert body["conflicts"][0]["indexes"] == [4]


def test_adx_import_with_disaggregation_attributes(client, staff):
    adx = """<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015">
  <group orgUnit="SO-A-BT" period="2024-03-01/P1M" dataSet="BM01">
    <dataValue dataElement="VISITORS" SEX="M" value="11"/>
    <dataValue dataElement="VISITORS" SEX="F" value="12"><annotation>đông</annotation></dataValue>
    <dataValue dataElement="VISITORS" SEX="X" value="1"/>
    <dataValue dataElement="EVENTS" value="2"/>
  </group>
</adx>"""
    body = post(client, staff, adx, content_type="application/adx+xml").json()
    assert body["importCount"]["imported"] == 3
    assert body["conflictCount"] == 1 and "SEX=X" in body["conflicts"][0]["value"]
    female = DataValue.objects.get(category_option_combo__code="SEX_F")
    assert (female.value, female.comment, female.period.code) == ("12", "đông", "202403")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("<adx><group", "application/xml"),
     ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><adx/>', "application/xml"),
     ("<other/>", "application/xml"), ("a,b\n", "application/csv"), ("[1, 2]", "application/json")],
)
def test_unreadable_documents_are_a_400(client, staff, body, content_type):
    response = post(client, staff, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.urls("tests.reporting.analytics.urls")  # the workflow's e-mails link to the report page
def test_complete_date_submits_the_report(client, staff):
    body = post(client, staff, museum_set(completeDate="2024-02-10")).json()
    assert body["importCount"]["imported"] == 3
    assert body["submitted"] == 1
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_people_without_entry_rights_are_refused(client, tree, meta):
    response = post(client, person(Role.MINISTRY_LEADER, tree.ministry), museum_set())
    assert response.status_code == 403


def test_a_department_cannot_enter_its_museums_figures(client, tree, meta):
    body = post(client, person(Role.DEPARTMENT_OFFICER, tree.dept_a), museum_set()).json()
    assert body["status"] == "ERROR"
    assert not DataValue.objects.exists()


# --- export ---------------------------------------------------------------------------------------


@pytest.fixture
def stored(tree, meta):
    draft = Submission.Status.DRAFT
    report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "4", ("VISITORS", "SEX_F"): "9"}, status=draft)
    report(meta, tree.museum_b, "202401", {("EVENTS", "default"): "6"}, status=draft)
    return tree


def test_export_json_csv_adx(client, stored):
    client.force_login(person(Role.MINISTRY_OFFICER, stored.ministry))
    body = client.get(URL, {"dataSet": "BM01", "period": "202401"}).json()
    got = {(v["dataElement"], v["orgUnit"], v["categoryOptionCombo"], v["value"]) for v in body["dataValues"]}
    assert got == {("EVENTS", "SO-A-BT", "default", "4"), ("VISITORS", "SO-A-BT", "SEX_F", "9"),
                   ("EVENTS", "SO-B-BT", "default", "6")}
    csv_text = client.get(URL, {"orgUnit": "SO-A", "children": "true", "format": "csv"}).content.decode()
    assert csv_text.splitlines()[0].startswith("dataelement,period,orgunit,categoryoptioncombo")
    assert len(csv_text.splitlines()) == 3
    adx = client.get(URL, {"period": "202401", "orgUnit": "SO-A-BT"},
                     HTTP_ACCEPT="application/adx+xml").content.decode()
    assert 'period="2024-01-01/P1M"' in adx and 'SEX="F"' in adx and 'xmlns="urn:ihe:qrph:adx:2015"' in adx


def test_export_round_trips_through_import(client, stored, meta):
    officer = person(Role.MINISTRY_OFFICER, stored.ministry)
    client.force_login(officer)
    adx = client.get(URL, {"period": "202401", "orgUnit": "SO-A-BT", "format": "adx"}).content
    staff = person(Role.UNIT_STAFF, stored.museum_a)
    body = post(client, staff, adx.decode(), content_type="application/adx+xml").json()
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}


def test_export_is_scoped(client, stored):
    client.force_login(person(Role.DEPARTMENT_OFFICER, stored.dept_b))
    body = client.get(URL, {"dataSet": "BM01"}).json()
    assert {v["orgUnit"] for v in body["dataValues"]} == {"SO-B-BT"}


def test_export_needs_a_filter_and_valid_codes(client, stored):
    client.force_login(person(Role.MINISTRY_OFFICER, stored.ministry))
    assert client.get(URL).json()["code"] == "filter_required"
    assert client.get(URL, {"dataSet": "NOPE"}).status_code == 400
    assert client.get(URL, {"period": "20240"}).status_code == 400


def test_export_query_count(client, stored, django_assert_max_num_queries):
    client.force_login(person(Role.MINISTRY_OFFICER, stored.ministry))
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"dataSet": "BM01"}).status_code == 200


def test_text_with_tabs_newlines_and_backslashes_is_stored_exactly(client, staff):
    awkward = "dòng 1\r\ndòng\t2 \\ cuối"  # (leading/trailing blanks are trimmed on import)
    body = museum_set()
    body["dataValues"] = [{"dataElement": "REMARK", "value": "a\\b\tc", "comment": awkward},
                          {"dataElement": "EVENTS", "value": "3", "comment": awkward}]
    assert post(client, staff, body).json()["importCount"]["imported"] == 2
    remark = DataValue.objects.get(data_element__code="REMARK")
    assert (remark.value, remark.comment, remark.numeric_value) == ("a\\b\tc", awkward, None)
    assert DataValue.objects.get(data_element__code="EVENTS").numeric_value == 3.0


def test_a_body_over_the_upload_limit_gets_a_clear_message(client, staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    body = json.dumps(museum_set()) + " " * (3 * 1024 * 1024)
    response = post(client, staff, body)
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"
    assert "tối đa 2 MB" in response.json()["message"]
