"""DHIS2 clients: idScheme (UID / CODE / NAME, per-kind overrides), importStrategy, `"deleted": true`,
and the stable 11-character UIDs beside every code."""

from __future__ import annotations

import json

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.roles import Role
from vhttdl.core.uids import UID_PATTERN, generate_uid
from vhttdl.core.units.models import Organisation
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    CategoryOption,
    CategoryOptionCombo,
    DataElement,
    DataValue,
    ReportForm,
    Submission,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


@pytest.fixture
def staff(client, tree, meta):
    user = person(Role.UNIT_STAFF, tree.museum_a)
    client.force_login(user)
    return user


def uid(model, code):
    return model.objects.get(code=code).uid


def post(client, body, query="", content_type="application/json"):
    data = json.dumps(body) if isinstance(body, dict) else body
    return client.post(f"{URL}?{query}" if query else URL, data, content_type=content_type)


def stored():
    return {(v.data_element.code, v.category_option_combo.code): v.value
            for v in DataValue.objects.select_related("data_element", "category_option_combo")}


def test_every_metadata_object_has_a_stable_dhis2_uid(tree, meta):
    for model in (DataElement, Category, CategoryOption, CategoryCombo, CategoryOptionCombo, ReportForm,
                  Organisation):
        uids = list(model.objects.values_list("uid", flat=True))
        assert uids and all(UID_PATTERN.match(u) for u in uids), model
        assert len(set(uids)) == len(uids)
    element = DataElement.objects.get(code="EVENTS")
    before = element.uid
    element.name = "Số sự kiện (mới)"
    element.save()
    element.refresh_from_db()
    assert element.uid == before
    assert all(UID_PATTERN.match(generate_uid()) for _ in range(1000))


def test_uids_are_in_the_api(client, tree, meta):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    forms = client.get("/api/v1/reporting/forms").json()
    assert {f["code"]: f["uid"] for f in forms}["BM01"] == uid(ReportForm, "BM01")
    layout = client.get("/api/v1/reporting/form", {"code": "BM01"}).json()
    row = next(r for s in layout["sections"] for r in s["rows"] if r["element"] == "VISITORS")
    assert row["element_uid"] == uid(DataElement, "VISITORS")
    assert {c["code"]: c["uid"] for c in row["columns"]}["SEX_M"] == uid(CategoryOptionCombo, "SEX_M")
    unit = client.get("/api/v1/units/organisations/SO-A-BT").json()
    assert unit["uid"] == tree.museum_a.uid


def test_import_by_uid(client, tree, staff):
    body = {"dataSet": uid(ReportForm, "BM01"), "period": "202401", "orgUnit": tree.museum_a.uid, "dataValues": [
        {"dataElement": uid(DataElement, "VISITORS"), "categoryOptionCombo": uid(CategoryOptionCombo, "SEX_M"),
         "value": "10"},
        {"dataElement": uid(DataElement, "EVENTS"), "value": "4"},
    ]}
    # Codes are the default: UIDs are unknown codes until the client says idScheme=UID.
    assert post(client, body).json()["status"] == "ERROR"
    response = post(client, body, "idScheme=UID")
    assert response.status_code == 200 and response.json()["importCount"]["imported"] == 2, response.json()
    assert stored() == {("VISITORS", "SEX_M"): "10", ("EVENTS", "default"): "4"}


def test_specific_schemes_override_the_general_one_and_names_work(client, tree, staff):
    body = {"dataSet": "BM01", "period": "202401", "orgUnit": "Bảo tàng An", "dataValues": [
        {"dataElement": uid(DataElement, "EVENTS"), "value": "4"},
    ]}
    response = post(client, body, "idScheme=NAME&dataElementIdScheme=UID&dataSetIdScheme=CODE")
    assert response.json()["importCount"]["imported"] == 1, response.json()
    csv_body = ("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n"
                "Số sự kiện,202402,SO-A-BT,,,5\n")
    response = post(client, csv_body, "dataElementIdScheme=name", content_type="application/csv")
    assert response.json()["importCount"]["imported"] == 1, response.json()
    adx = (f'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="{tree.museum_a.uid}" period="2024-03-01/P1M" '
           f'dataSet="BM01"><dataValue dataElement="EVENTS" value="6"/></group></adx>')
    response = post(client, adx, "orgUnitIdScheme=UID", content_type="application/adx+xml")
    assert response.json()["importCount"]["imported"] == 1, response.json()


def test_a_name_several_objects_carry_is_a_conflict(client, tree, staff):
    DataElement.objects.filter(code="RATE").update(name="Số sự kiện")
    body = {"dataSet": "BM01", "period": "202401", "orgUnit": "SO-A-BT",
            "dataValues": [{"dataElement": "Số sự kiện", "value": "4"}]}
    response = post(client, body, "dataElementIdScheme=NAME")
    assert response.status_code == 409 and "trùng" in response.json()["conflicts"][0]["value"]


@pytest.mark.parametrize("query", ["idScheme=ATTRIBUTE:abcdefghijk", "orgUnitIdScheme=SHORTNAME",
                                   "importStrategy=MERGE"])
def test_unsupported_schemes_and_strategies_are_a_clear_400(client, staff, query):
    response = post(client, {"dataValues": []}, query)
    assert response.status_code == 400
    assert response.json()["code"] in {"unsupported_id_scheme", "bad_import_strategy"}
    assert "UID" in response.json()["message"] or "CREATE_AND_UPDATE" in response.json()["message"]
    export = client.get(URL, {"dataSet": "BM01", "idScheme": "ATTRIBUTE:x"})
    assert export.status_code == 400 and export.json()["code"] == "unsupported_id_scheme"


def _set(*values, period="202401"):
    return {"dataSet": "BM01", "period": period, "orgUnit": "SO-A-BT", "dataValues": list(values)}


EVENTS_5 = {"dataElement": "EVENTS", "value": "5"}
MALE_7 = {"dataElement": "VISITORS", "categoryOptionCombo": "SEX_M", "value": "7"}


def test_import_strategies(client, staff):
    post(client, _set({"dataElement": "EVENTS", "value": "4"}))
    counts = post(client, _set(EVENTS_5, MALE_7), "importStrategy=CREATE").json()["importCount"]
    assert counts == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert stored() == {("EVENTS", "default"): "4", ("VISITORS", "SEX_M"): "7"}
    female = {"dataElement": "VISITORS", "categoryOptionCombo": "SEX_F", "value": "2"}
    counts = post(client, _set(EVENTS_5, female), "importStrategy=UPDATE").json()["importCount"]
    assert counts == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    assert stored() == {("EVENTS", "default"): "5", ("VISITORS", "SEX_M"): "7"}
    # UPDATE or DELETE never create a report.
    assert post(client, _set(EVENTS_5, period="202402"), "importStrategy=UPDATE").json()["importCount"][
        "ignored"] == 1
    assert not Submission.objects.filter(period__code="202402").exists()
    dry = post(client, _set(EVENTS_5, {**female, "value": "x"}), "importStrategy=DELETE&dryRun=true").json()
    assert dry["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}
    assert len(stored()) == 2
    counts = post(client, _set({"dataElement": "EVENTS", "value": "anything"}), "importStrategy=DELETES").json()[
        "importCount"]
    assert counts["deleted"] == 1 and stored() == {("VISITORS", "SEX_M"): "7"}


def test_deleted_true_deletes_rather_than_updates(client, staff):
    post(client, _set(EVENTS_5, MALE_7))
    counts = post(client, _set({**EVENTS_5, "value": "9", "deleted": True})).json()["importCount"]
    assert counts == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 1}
    assert stored() == {("VISITORS", "SEX_M"): "7"}
    csv_body = ("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,"
                "comment,followup,deleted\n"
                "VISITORS,202401,SO-A-BT,SEX_M,,7,,,,false,true\n")
    assert post(client, csv_body, content_type="application/csv").json()["importCount"]["deleted"] == 1
    assert stored() == {}


def test_export_by_uid_and_filters_by_uid(client, tree, meta):
    report(meta, tree.museum_a, "202401", {("VISITORS", "SEX_F"): "9"}, status=Submission.Status.DRAFT)
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    body = client.get(URL, {"dataSet": uid(ReportForm, "BM01"), "orgUnit": tree.museum_a.uid,
                            "idScheme": "UID"}).json()
    value = body["dataValues"][0]
    assert value["dataElement"] == uid(DataElement, "VISITORS") and value["orgUnit"] == tree.museum_a.uid
    assert value["categoryOptionCombo"] == uid(CategoryOptionCombo, "SEX_F")
    mixed = client.get(URL, {"dataSet": "BM01", "idScheme": "UID", "orgUnitIdScheme": "CODE",
                             "format": "csv"}).content.decode()
    assert f"{uid(DataElement, 'VISITORS')},202401,SO-A-BT," in mixed
    # What was exported by UID imports back by UID.
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    again = post(client, json.dumps(body), "idScheme=UID").json()
    assert again["importCount"]["ignored"] == 1, again
