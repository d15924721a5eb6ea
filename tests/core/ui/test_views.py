"""The shell: home per role, the unit tree, the change log, and the error pages in both languages."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.urls import reverse

from tests.core.factories import current_version, make_org, person
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation
from vhttdl.core.units.services import organisation_update

pytestmark = pytest.mark.django_db


def test_home_needs_login(client):
    """Anonymous visitors at `/` get the public landing page (portal), never the staff home."""
    response = client.get("/")
    assert response.status_code == 200 and "summary" not in response.context
    assert reverse("accounts:login") in response.content.decode()
    assert client.get(reverse("units:tree")).status_code == 302


@pytest.mark.parametrize(("role", "home", "units_in_scope", "sees_people"), [
    (Role.SYSTEM_ADMIN, "ministry", 6, True),
    (Role.MINISTRY_LEADER, "ministry", 6, False),
    (Role.DEPARTMENT_OFFICER, "dept_a", 2, False),
    (Role.UNIT_STAFF, "museum_a", 1, False),
])
def test_home_shows_unit_grants_and_counts(client, tree, role, home, units_in_scope, sees_people):
    user = person(role, getattr(tree, home))
    client.force_login(user)
    response = client.get("/")
    summary = response.context["summary"]
    assert summary.primary_unit == getattr(tree, home)
    cards = {str(c.title): c.value for c in summary.cards}
    assert cards["Đơn vị trong phạm vi"] == units_in_scope
    assert ("Người dùng" in cards) is sees_people
    assert getattr(tree, home).name in response.content.decode()


def test_navigation_follows_actions(client, tree):
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    labels = [str(i["label"]) for i in client.get("/").context["nav_items"]]
    assert "Đơn vị" in labels and "Nhật ký" not in labels and "Người dùng" not in labels


def test_unit_tree_is_scoped_and_queries_bounded(client, tree, django_assert_max_num_queries):
    for i in range(15):
        make_org(f"SO-A-X{i}", parent=tree.dept_a, kind=Organisation.Kind.LIBRARY)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    with django_assert_max_num_queries(8):
        body = client.get(reverse("units:tree")).content.decode()
    assert "Bảo tàng An" in body and "Bảo tàng Bình" not in body


def test_unit_page_of_another_province_is_403(client, tree):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    response = client.get(reverse("units:detail", args=["SO-B"]))
    assert response.status_code == 403
    assert "Sở Bình" in response.content.decode()


def test_unit_page_shows_its_history(client, tree):
    organisation_update(actor=SYSTEM, organisation=tree.museum_a, name="Bảo tàng tỉnh An",
                        version=current_version(tree.museum_a))
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    body = client.get(reverse("units:detail", args=["SO-A-BT"])).content.decode()
    assert "Sửa thông tin đơn vị" in body and "Bảo tàng tỉnh An" in body and "organisation.update" not in body


def test_change_log_by_object_and_by_person(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry, username="admin1")
    organisation_update(actor=admin, organisation=tree.museum_a, name="Một", version=current_version(tree.museum_a))
    organisation_update(actor=SYSTEM, organisation=tree.museum_b, name="Hai", version=current_version(tree.museum_b))
    client.force_login(admin)
    by_person = client.get(reverse("audit:list"), {"person": admin.pk}).context["page_obj"]
    assert [v.entry.object_repr for v in by_person] == ["Một"]
    by_object = client.get(reverse("audit:list"), {"object_type": "units.organisation",
                                                    "object_id": str(tree.museum_b.pk)}).context["page_obj"]
    assert [v.entry.object_repr for v in by_object] == ["Hai"]


def test_change_log_is_scoped_for_department_leaders(client, tree):
    organisation_update(actor=SYSTEM, organisation=tree.museum_a, name="Một", version=current_version(tree.museum_a))
    organisation_update(actor=SYSTEM, organisation=tree.museum_b, name="Hai", version=current_version(tree.museum_b))
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    entries = client.get(reverse("audit:list")).context["page_obj"]
    assert [v.entry.object_repr for v in entries] == ["Một"]


def test_change_log_needs_audit_view(client, tree):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    assert client.get(reverse("audit:list")).status_code == 403


@pytest.mark.parametrize(("language", "text"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, language, text):
    client.cookies["django_language"] = language
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and text in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("vi", "Không có quyền truy cập"), ("en", "Access denied")])
def test_403_page_in_both_languages(client, tree, language, text):
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    client.cookies["django_language"] = language
    response = client.get(reverse("audit:list"))
    assert response.status_code == 403 and text in response.content.decode()


def test_500_page_in_both_languages(rf):
    from vhttdl.core.ui.views import error_500

    body = error_500(rf.get("/")).content.decode()
    assert "Lỗi hệ thống" in body and "An unexpected error occurred" in body


def test_production_settings_pass_check_deploy(tmp_path):
    env = {"VHTTDL_ENV": "production", "SECRET_KEY": "x" * 60 + "-production-secret-for-the-check",
           "ALLOWED_HOSTS": "vhttdl.example.vn", "VHTTDL_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "vhttdl.config.settings"}, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env={"VHTTDL_ENV": "production", "DJANGO_SETTINGS_MODULE": "vhttdl.config.settings",
             "VHTTDL_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
