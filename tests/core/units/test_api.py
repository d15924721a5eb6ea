"""The API: bearer tokens, the one error shape (400/401/403/404/409) in the request's language."""

from __future__ import annotations

import pytest

from tests.core.factories import issue_token, person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user).secret}"}


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok" and body["version"]


def test_openapi_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/units/organisations" in spec.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_no_credentials_is_401_with_code(client):
    response = client.get("/api/v1/units/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_bad_token_says_why(client):
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer vht_wrong")
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_bearer_token_lists_only_scope(client, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    response = client.get("/api/v1/units/organisations", **bearer(officer))
    assert response.status_code == 200
    assert {o["code"] for o in response.json()["items"]} == {"SO-A", "SO-A-BT"}


def test_list_query_count_does_not_grow(client, tree, django_assert_max_num_queries):
    officer = person(Role.SYSTEM_ADMIN, tree.ministry)
    headers = bearer(officer)
    for i in range(10):
        from tests.core.factories import make_org

        make_org(f"X{i}", parent=tree.dept_a, kind=Organisation.Kind.MUSEUM)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/units/organisations", **headers)
    assert response.json()["count"] == 16


def test_other_province_is_403_in_both_languages(client, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    headers = bearer(officer)
    vi = client.get("/api/v1/units/organisations/SO-B", **headers)
    assert vi.status_code == 403 and vi.json()["code"] == "forbidden"
    assert "Bạn không có quyền" in vi.json()["message"]
    en = client.get("/api/v1/units/organisations/SO-B", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert en.json()["message"].startswith("You have no rights")


def test_unknown_unit_code_is_404(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    response = client.get("/api/v1/units/organisations/NOPE", **bearer(admin))
    assert response.status_code == 404 and "NOPE" in response.json()["message"]


def test_stale_version_is_409(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    headers = bearer(admin)
    ok = client.patch("/api/v1/units/organisations/SO-A-BT", {"version": 1, "name": "Bảo tàng mới"},
                      content_type="application/json", **headers)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch("/api/v1/units/organisations/SO-A-BT", {"version": 1, "name": "Cũ"},
                         content_type="application/json", **headers)
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["details"]["current_version"] == 2


def test_move_under_descendant_is_400(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    response = client.post("/api/v1/units/organisations/SO-A/move", {"version": 1, "new_parent_code": "SO-A-BT"},
                           content_type="application/json", **bearer(admin))
    assert response.status_code == 400 and response.json()["code"] == "move_into_own_subtree"


def test_malformed_body_is_400(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    response = client.post("/api/v1/units/organisations", {"code": "X"}, content_type="application/json",
                           **bearer(admin))
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_session_writes_need_csrf(tree):
    from django.test import Client

    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    response = strict.patch("/api/v1/units/organisations/SO-A-BT", {"version": 1, "name": "x"},
                            content_type="application/json")
    assert response.status_code in (401, 403)


def test_area_as_of(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    from vhttdl.core.units.reference import load_areas

    load_areas()
    response = client.get("/api/v1/units/areas/02/as-of?valid_on=2024-05-01&on=2026-01-01", **bearer(admin))
    body = response.json()
    assert body["area"]["name"] == "Tỉnh Hà Giang"
    assert [a["name"] for a in body["becomes"]] == ["Tuyên Quang"]


def test_me_lists_grants(client, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    body = client.get("/api/v1/accounts/me", **bearer(officer)).json()
    assert body["grants"] == [{"role": "department_officer", "role_label": "Chuyên viên Sở",
                               "organisation_code": "SO-A", "organisation_name": "Sở An"}]
