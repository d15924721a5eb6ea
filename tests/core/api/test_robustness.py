"""The API's shared guards: control characters (D3), nesting depth and bounded pagination (D5),
and the error responses in the OpenAPI document (D11)."""

from __future__ import annotations

import json

import pytest

from tests.core.factories import person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, tree):
    user = person(Role.SYSTEM_ADMIN, tree.ministry)
    client.force_login(user)
    return user


@pytest.fixture
def officer(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    return user


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_stored(client, tree, admin):
    response = client.patch(
        "/api/v1/units/organisations/SO-A-BT", {"version": tree.museum_a.version, "name": "Bảo tàng\x00An"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "control_character" and body["details"]["field"] == "name"
    assert "U+0000" in body["message"]
    assert Organisation.objects.get(code="SO-A-BT").name == "Bảo tàng An"


def test_control_characters_in_keys_and_nested_lists_are_refused(client, tree, admin):
    response = client.post(
        "/api/v1/units/organisations/SO-A-BT/close",
        {"version": 1, "successor_codes": ["SO-A", "SO\x1bB"]}, content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["details"]["field"] == "successor_codes.1"
    response = client.post("/api/v1/accounts/tokens", {"name": "x", "na\x07me": 1}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "control_character"


def test_tab_and_newlines_are_ordinary_text(client, tree, admin):
    response = client.patch(
        "/api/v1/units/organisations/SO-A-BT",
        {"version": tree.museum_a.version, "name": "Bảo tàng\tAn\r\nmới"}, content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_a_nul_in_a_query_parameter_is_refused(client, tree, officer):
    for url in ("/api/v1/units/organisations?q=B%00", "/api/v1/analytics?dimension=dx:A%00"):
        response = client.get(url)
        assert response.status_code == 400, (url, response.content)
        assert response.json()["code"] == "control_character"


def test_json_nested_200000_deep_is_a_400(client, tree, officer):
    deep = "[" * 200_000 + "]" * 200_000
    response = client.post("/api/v1/accounts/tokens", deep, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "too_deep"
    just_past = '{"name": "x", "days": ' + "[" * 64 + "]" * 64 + "}"
    response = client.post("/api/v1/accounts/tokens", just_past, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "too_deep"
    response = client.post("/api/v1/dataValueSets", deep, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] in {"too_deep", "unreadable"}


def test_nan_is_not_json(client, tree, officer):
    response = client.post("/api/v1/accounts/tokens", '{"name": "x", "days": NaN}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "bad_json"


@pytest.mark.parametrize("query", ["limit=9223372036854775808", "offset=9223372036854775808", "limit=0",
                                   "limit=501", "offset=-1", "limit=abc"])
def test_pagination_bounds_are_400_with_the_bound_named(client, tree, officer, query):
    for path in ("/api/v1/units/organisations", "/api/v1/units/areas", "/api/v1/audit/entries",
                 "/api/v1/reporting/submissions"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.content)
        body = response.json()
        assert body["code"] == "invalid" and query.split("=")[0] in body["message"]


def test_pagination_limit_500_is_served(client, tree, officer):
    response = client.get("/api/v1/units/areas?limit=500&offset=0")
    assert response.status_code == 200 and "count" in response.json()
    english = client.get("/api/v1/units/areas?limit=501", HTTP_ACCEPT_LANGUAGE="en")
    assert "at most 500" in english.json()["message"]


def test_a_huge_path_id_is_a_400_not_a_500(client, tree, officer):
    for url in ("/api/v1/reporting/submissions/9223372036854775808", "/api/v1/reporting/submissions/0"):
        assert client.get(url).status_code in (400, 404)
    assert client.delete("/api/v1/accounts/tokens/99999999999999999999").status_code == 400


def test_every_operation_documents_the_error_responses(client):
    def no_duplicate_keys(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys  # Swagger UI's YAML parser refuses a document with them
        return dict(pairs)

    spec = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicate_keys)
    assert "ErrorOut" in spec["components"]["schemas"]
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    assert len(operations) >= 25
    for path, method, operation in operations:
        for status in ("400", "401", "403", "404", "409"):
            assert status in operation["responses"], (method, path, status)
    import_409 = spec["paths"]["/api/v1/dataValueSets"]["post"]["responses"]["409"]
    assert "ImportSummary" in str(import_409)
