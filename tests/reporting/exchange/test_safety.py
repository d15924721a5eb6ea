"""dataValueSets robustness: long CSV fields (D5), formulas in the CSV export (D7), XML through
defusedxml in any encoding (D8)."""

from __future__ import annotations

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"
HEADER = ("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,"
          "followup\n")


@pytest.fixture
def staff(client, tree, meta):
    user = person(Role.UNIT_STAFF, tree.museum_a)
    client.force_login(user)
    return user


def test_a_csv_field_over_131072_characters_is_a_400_naming_the_line(client, staff):
    body = HEADER + "EVENTS,202402,SO-A-BT,,,7,,,,false\n" + "REMARK,202402,SO-A-BT,,,x,,," + "a" * 131_073 + ",false\n"
    response = client.post(URL, body, content_type="application/csv")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "bad_csv" and response.json()["details"]["line"] == 3
    assert "131072" in response.json()["message"]
    assert not DataValue.objects.exists()


ADX_WITH_ENTITY = (
    '<?xml version="1.0" encoding="UTF-16"?>\n'
    '<!DOCTYPE adx [<!ENTITY boom "1">]>\n'
    '<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="SO-A-BT" period="2024-01-01/P1M" dataSet="BM01">'
    '<dataValue dataElement="EVENTS" value="&boom;"/></group></adx>'
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8"])
def test_doctype_and_entities_are_refused_in_any_encoding(client, staff, encoding):
    text = ADX_WITH_ENTITY if encoding == "utf-16" else ADX_WITH_ENTITY.replace('encoding="UTF-16"', "")
    body = text.encode(encoding)
    response = client.generic("POST", URL, body, content_type="application/adx+xml")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "xml_forbidden"
    assert not DataValue.objects.exists()


def test_a_billion_laughs_is_refused(client, staff):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><adx>&lol2;</adx>')
    response = client.post(URL, laughs, content_type="application/xml")
    assert response.status_code == 400 and response.json()["code"] == "xml_forbidden"


def test_csv_export_neutralises_formulas_and_imports_them_back(client, tree, meta):
    report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "4", ("REMARK", "default"): "=cmd|'/C calc'!A0"},
           status=Submission.Status.DRAFT)
    DataValue.objects.filter(data_element__code="EVENTS").update(comment="-2+3")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    csv_text = client.get(URL, {"orgUnit": "SO-A-BT", "period": "202401", "format": "csv"}).content.decode()
    lines = csv_text.splitlines()
    remark = next(line for line in lines if line.startswith("REMARK"))
    events = next(line for line in lines if line.startswith("EVENTS"))
    assert "'=cmd|" in remark and ",=cmd" not in remark
    assert ",4," in events and ",'-2+3," in events
    for line in lines[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), line
    # What the export wrote imports back unchanged (the apostrophes are taken off again).
    DataValue.objects.all().delete()
    Submission.objects.all().delete()
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    body = client.post(URL, csv_text, content_type="application/csv").json()
    assert body["importCount"]["imported"] == 2, body
    assert DataValue.objects.get(data_element__code="REMARK").value == "=cmd|'/C calc'!A0"
    assert DataValue.objects.get(data_element__code="EVENTS").comment == "-2+3"


def test_a_figure_is_written_as_it_is():
    from vhttdl.reporting.exchange.formats import csv_cell, csv_uncell

    for figure in ("-5", "+5", "-1.5e3", "0.25", ".5"):
        assert csv_cell(figure) == figure
    for formula in ("=1+1", "-1+1", "+A1", "@x", "-"):
        assert csv_cell(formula) == "'" + formula and csv_uncell(csv_cell(formula)) == formula
