"""/api/v1/accounts/tokens: a token never issues tokens; a session needs a recent password (D2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.factories import issue_token, person
from vhttdl.core.accounts.models import ApiToken
from vhttdl.core.accounts.reauth import SESSION_KEY
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/accounts/tokens"


def _post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_token_cannot_mint_tokens_that_would_outlive_it(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    issued = issue_token(user, days=1)
    response = _post(client, {"name": "con", "days": 366}, HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "token_cannot_issue"
    assert ApiToken.objects.count() == 1
    # Even with the password in the body: a token is never a person at a keyboard.
    response = _post(client, {"name": "con", "password": "mat-khau-thu-nghiem"},
                     HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 403 and ApiToken.objects.count() == 1
    # Reading and revoking with a token still work.
    listed = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert listed.status_code == 200 and len(listed.json()) == 1


def test_a_fresh_login_issues_a_token(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)  # login() stamps the session (accounts.reauth)
    response = _post(client, {"name": "máy chủ", "days": 30})
    assert response.status_code == 201, response.content
    assert response.json()["secret"].startswith("vht_")


def _age_login(client, minutes: int) -> None:
    session = client.session
    session[SESSION_KEY] = (timezone.now() - timedelta(minutes=minutes)).isoformat()
    session.save()


def test_an_old_login_must_enter_the_password_again(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    _age_login(client, 16)
    refused = _post(client, {"name": "máy chủ"})
    assert refused.status_code == 403 and refused.json()["code"] == "password_required"
    assert "mật khẩu" in refused.json()["message"]
    wrong = _post(client, {"name": "máy chủ", "password": "sai"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    assert not ApiToken.objects.exists()
    ok = _post(client, {"name": "máy chủ", "password": "mat-khau-thu-nghiem"})
    assert ok.status_code == 201, ok.content
    # The re-entry counts for the next few minutes too.
    assert _post(client, {"name": "thứ hai"}).status_code == 201


def test_days_zero_is_a_clear_400(client, tree):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    response = _post(client, {"name": "x", "days": 0})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_expiry" and "366" in response.json()["message"]
    english = _post(client, {"name": "x", "days": 0}, HTTP_ACCEPT_LANGUAGE="en")
    assert "366 days" in english.json()["message"]
    assert not ApiToken.objects.exists()
