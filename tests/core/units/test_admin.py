"""The Django admin manages units through the services: audited, and a move under a descendant is refused."""

from __future__ import annotations

import pytest

from tests.core.factories import person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree):
    client.force_login(person(Role.SYSTEM_ADMIN, tree.ministry, is_staff=True, is_superuser=True))
    return client


def form_data(org: Organisation, **changes) -> dict:
    data = {"code": org.code, "name": org.name, "name_en": org.name_en, "short_name": org.short_name,
            "kind": org.kind, "parent": org.parent_id or "", "area": org.area_id or "", "email": org.email,
            "successors": [], "read_version": org.version}
    data.update(changes)
    return data


def test_admin_add_goes_through_the_service(admin_client, tree):
    response = admin_client.post("/admin/units/organisation/add/", {
        "code": "SO-A-TV", "name": "Thư viện An", "name_en": "", "short_name": "", "kind": "library",
        "parent": tree.dept_a.pk, "area": "", "email": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    library = Organisation.objects.get(code="SO-A-TV")
    assert library.path.startswith(tree.dept_a.path)
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(library.pk)).exists()


def test_admin_rename_and_move_are_audited(admin_client, tree):
    url = f"/admin/units/organisation/{tree.museum_a.pk}/change/"
    response = admin_client.post(url, form_data(tree.museum_a, name="Bảo tàng tỉnh An", parent=tree.dept_b.pk))
    assert response.status_code == 302
    tree.museum_a.refresh_from_db()
    assert tree.museum_a.name == "Bảo tàng tỉnh An" and tree.museum_a.path.startswith(tree.dept_b.path)
    assert {"organisation.update", "organisation.move"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_admin_refuses_move_under_descendant(admin_client, tree):
    url = f"/admin/units/organisation/{tree.dept_a.pk}/change/"
    response = admin_client.post(url, form_data(tree.dept_a, parent=tree.museum_a.pk))
    assert response.status_code == 200
    assert "Không thể chuyển một đơn vị vào dưới chính nó" in response.content.decode()
    tree.dept_a.refresh_from_db()
    assert tree.dept_a.parent == tree.ministry


def test_admin_cannot_delete_units(admin_client, tree):
    response = admin_client.get(f"/admin/units/organisation/{tree.museum_a.pk}/delete/")
    assert response.status_code == 403
