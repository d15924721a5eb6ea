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


def test_pages_stay_vietnamese_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in response.content.decode()


def test_login_in_english_once_chosen(client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_unknown_language_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "fr"
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


def test_password_reset_sends_a_working_link(client, tree):
    import re

    from django.core import mail

    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a, email="chuyenvien@so-an.gov.vn")
    response = client.post(reverse("accounts:password_reset"), {"email": "chuyenvien@so-an.gov.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Đặt lại mật khẩu VHTTDL"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "Mat-Khau-Moi-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password},
                       follow=True)
    assert "Đã đặt lại mật khẩu" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_change(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Mat-Khau-Moi-2026", "new_password2": "Mat-Khau-Moi-2026"},
        follow=True)
    assert "Đã đổi mật khẩu" in response.content.decode()


def test_admin_is_in_vietnamese(client, tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry, is_staff=True, is_superuser=True)
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    assert "Quản trị VHTTDL" in body and "Đơn vị hành chính và tổ chức" in body


def test_profile_asks_for_the_password_when_login_is_old(client, tree):
    from datetime import timedelta

    from django.utils import timezone

    from vhttdl.core.accounts.models import ApiToken
    from vhttdl.core.accounts.reauth import SESSION_KEY

    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = (timezone.now() - timedelta(hours=1)).isoformat()
    session.save()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="password"' in page
    refused = client.post(reverse("accounts:profile"), {"name": "máy chủ", "days": 30})
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    wrong = client.post(reverse("accounts:profile"), {"name": "máy chủ", "days": 30, "password": "sai"})
    assert wrong.status_code == 400 and "Mật khẩu không đúng" in wrong.content.decode()
    ok = client.post(reverse("accounts:profile"),
                     {"name": "máy chủ", "days": 30, "password": "mat-khau-thu-nghiem"})
    assert ok.status_code == 200 and "vht_" in ok.content.decode() and ApiToken.objects.count() == 1
    assert 'name="password"' not in client.get(reverse("accounts:profile")).content.decode()
