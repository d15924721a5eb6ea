"""Grants and API tokens: clear refusals, nothing half-written, everything audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.factories import UserFactory, person
from vhttdl.core.accounts import services
from vhttdl.core.accounts.models import ApiToken, Grant
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def _issue(user, **kwargs):
    return services.api_token_create(actor=user, user=user, password_confirmed_at=timezone.now(), **kwargs)


def test_grant_twice_is_refused_with_a_clear_message(tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    user = UserFactory()
    services.grant_create(actor=admin, user=user, role=Role.UNIT_STAFF, organisation=tree.museum_a)
    with pytest.raises(InvalidInput) as exc:
        services.grant_create(actor=admin, user=user, role=Role.UNIT_STAFF, organisation=tree.museum_a)
    assert exc.value.code == "duplicate_grant"
    assert "Bảo tàng An" in exc.value.message
    assert Grant.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="grant.create").count() == 1


def test_role_must_fit_the_unit(tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry)
    with pytest.raises(InvalidInput) as exc:
        services.grant_create(actor=admin, user=UserFactory(), role=Role.DEPARTMENT_OFFICER,
                              organisation=tree.museum_a)
    assert exc.value.code == "role_unit_mismatch"
    with pytest.raises(InvalidInput):
        services.grant_create(actor=admin, user=UserFactory(), role="emperor", organisation=tree.dept_a)


def test_token_secret_is_shown_once_and_stored_hashed(tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    issued = _issue(user, name="đồng bộ", days=30)
    token = ApiToken.objects.get()
    assert issued.secret.startswith("vht_") and issued.secret not in token.key_hash
    assert token.key_hash == ApiToken.hash_secret(issued.secret)
    assert services.api_token_authenticate(issued.secret) == user


def test_expired_and_revoked_tokens_are_refused_with_reasons(tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    issued = _issue(user, name="a", days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.TokenRejected) as exc:
        services.api_token_authenticate(issued.secret)
    assert exc.value.code == "token_expired"
    issued2 = _issue(user, name="b", days=1)
    services.api_token_revoke(actor=user, token=issued2.token)
    with pytest.raises(services.TokenRejected) as exc:
        services.api_token_authenticate(issued2.secret)
    assert exc.value.code == "token_revoked"
    with pytest.raises(services.TokenRejected) as exc:
        services.api_token_authenticate("vht_not-a-token")
    assert exc.value.code == "token_invalid"


def test_token_expiry_bounds(tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(InvalidInput):
        _issue(user, name="x", days=1000)
    assert not ApiToken.objects.exists()


def test_token_days_zero_is_refused_not_turned_into_the_default(tree):
    """D2: `days: 0` used to become 90 silently."""
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    for days in (0, -1, 367):
        with pytest.raises(InvalidInput) as exc:
            _issue(user, name="x", days=days)
        assert exc.value.code == "bad_expiry" and str(days) in exc.value.message
    assert not ApiToken.objects.exists()
    assert _issue(user, name="mặc định").token.expires_at > timezone.now() + timedelta(days=89)


def test_issuing_needs_a_recent_password(tree, settings):
    settings.API_TOKEN_REAUTH_MINUTES = 15
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    for confirmed in (None, timezone.now() - timedelta(minutes=16)):
        with pytest.raises(services.PasswordRequired) as exc:
            services.api_token_create(actor=user, user=user, name="x", password_confirmed_at=confirmed)
        assert exc.value.status == 403 and exc.value.code == "password_required"
    assert not ApiToken.objects.exists()
    services.api_token_create(actor=user, user=user, name="x",
                              password_confirmed_at=timezone.now() - timedelta(minutes=14))
    assert ApiToken.objects.count() == 1
