"""Signing in (with lockout), the language switch, profile tokens and the people page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.factories import person
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"


def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


def test_login_in_english_via_accept_language(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_unknown_language_falls_back_to_vietnamese(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert 'lang="vi"' in response.content.decode()


def test_wrong_password_gets_a_clear_message(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "sai"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_lockout_after_repeated_failures(client, tree, settings):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


def test_successful_login_reaches_home_with_unit(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD},
                           follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở An" in body and "Chuyên viên Sở" in body


def test_language_switch_sets_english(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body and "Your roles" in body


def test_profile_issues_a_token_once(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "máy chủ", "days": 30})
    assert "vht_" in response.content.decode()
    again = client.get(reverse("accounts:profile")).content.decode()
    assert "token-secret" not in again


def test_people_page_is_scoped(client, tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a, username="officer_a")
    person(Role.UNIT_STAFF, tree.museum_a, username="staff_a")
    person(Role.UNIT_STAFF, tree.museum_b, username="staff_b")
    client.force_login(officer)
    body = client.get(reverse("accounts:people")).content.decode()
    assert "staff_a" in body and "staff_b" not in body


def test_people_page_needs_accounts_view(client, tree):
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert client.get(reverse("accounts:people")).status_code == 403
