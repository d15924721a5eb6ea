"""Every write to accounts: people, role grants, API tokens. Each one audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.accounts.models import ApiToken, Grant, User
from vhttdl.core.accounts.policy import forget_grants, require
from vhttdl.core.accounts.roles import DEPARTMENT_ROLES, MINISTRY_ROLES, Action, Role
from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import DomainError, InvalidInput
from vhttdl.core.units.models import Organisation

USER_FIELDS = ["username", "full_name", "email", "phone", "language", "is_active"]


def user_create(
    *, actor: Any, username: str, password: str | None, full_name: str = "", email: str = "",
    phone: str = "", language: str = "vi", organisation: Organisation | None = None,
) -> User:
    """Create a person. Administrators of a unit may create people for it."""
    require(actor, Action.ACCOUNTS_MANAGE, organisation)
    username = username.strip()
    if not username:
        raise InvalidInput(_("Tên đăng nhập không được để trống."), code="required")
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput(_("Tên đăng nhập “%(u)s” đã tồn tại.") % {"u": username}, code="duplicate_username")
        user = User(username=username, full_name=full_name, email=email, phone=phone, language=language)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="user.create", obj=user, after={f: getattr(user, f) for f in USER_FIELDS})
    return user


def _check_role_fits_unit(role: str, organisation: Organisation) -> None:
    if role not in Role.values:
        raise InvalidInput(_("Vai trò “%(r)s” không tồn tại.") % {"r": role}, code="bad_role")
    if not organisation.is_current:
        raise InvalidInput(_("Đơn vị “%(o)s” đã giải thể.") % {"o": organisation.name}, code="unit_closed")
    if role in MINISTRY_ROLES and organisation.kind not in {Organisation.Kind.MINISTRY, Organisation.Kind.AGENCY}:
        raise InvalidInput(_("Vai trò của Bộ chỉ cấp tại Bộ hoặc cơ quan thuộc Bộ."), code="role_unit_mismatch")
    if role in DEPARTMENT_ROLES and organisation.kind != Organisation.Kind.DEPARTMENT:
        raise InvalidInput(_("Vai trò của Sở chỉ cấp tại một Sở."), code="role_unit_mismatch")


def grant_create(*, actor: Any, user: User, role: str, organisation: Organisation) -> Grant:
    require(actor, Action.ACCOUNTS_MANAGE, organisation)
    _check_role_fits_unit(role, organisation)
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                user=user, role=role, organisation=organisation,
                granted_by=actor if isinstance(actor, User) else None,
            )
            audit_record(
                actor=actor, action="grant.create", obj=grant,
                after={"user": user.pk, "role": role, "organisation": organisation.code},
            )
    except IntegrityError:
        raise InvalidInput(
            _("“%(u)s” đã có vai trò “%(r)s” tại “%(o)s”.")
            % {"u": user, "r": Role(role).label, "o": organisation.name},
            code="duplicate_grant",
        ) from None
    forget_grants(user)
    return grant


def grant_revoke(*, actor: Any, grant: Grant) -> None:
    require(actor, Action.ACCOUNTS_MANAGE, grant.organisation)
    with transaction.atomic():
        audit_record(
            actor=actor, action="grant.revoke", obj=grant,
            before={"user": grant.user_id, "role": grant.role, "organisation": grant.organisation.code},
        )
        grant.delete()
    forget_grants(grant.user)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is kept


class PasswordRequired(DomainError):
    """Issuing a token needs the password entered recently, in a session (never with a token)."""

    status = 403
    code = "password_required"


def password_recent(confirmed_at: datetime | None) -> bool:
    window = timedelta(minutes=settings.API_TOKEN_REAUTH_MINUTES)
    return confirmed_at is not None and timezone.now() - confirmed_at <= window


def api_token_create(
    *, actor: Any, user: User, name: str, days: int | None = None, password_confirmed_at: datetime | None,
) -> IssuedToken:
    """Issue a bearer token to `user`. People issue their own; administrators issue for others.

    `password_confirmed_at`: when the actor last entered the password (at login or again); it must
    be within API_TOKEN_REAUTH_MINUTES. A request made with a token passes None: a token never
    issues tokens. `days` None takes API_TOKEN_DEFAULT_DAYS; any other value must be 1–366.
    """
    if not password_recent(password_confirmed_at):
        raise PasswordRequired(
            _("Để tạo khóa API, hãy nhập lại mật khẩu (đăng nhập hoặc xác nhận mật khẩu trong vòng "
              "%(minutes)s phút). Không thể tạo khóa bằng một khóa API.")
            % {"minutes": settings.API_TOKEN_REAUTH_MINUTES}
        )
    if actor != user:
        require(actor, Action.ACCOUNTS_MANAGE, None)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Hãy đặt tên cho khóa API."), code="required")
    if days is None:
        days = settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= 366:
        raise InvalidInput(_("Thời hạn của khóa từ 1 đến 366 ngày (bạn gửi %(days)s).") % {"days": days},
                           code="bad_expiry", details={"field": "days", "min": 1, "max": 366})
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=ApiToken.hash_secret(secret), hint=secret[:10],
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(actor=actor, action="api_token.create", obj=token,
                     after={"user": user.pk, "name": name, "expires_at": token.expires_at})
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if actor != token.user:
        require(actor, Action.ACCOUNTS_MANAGE, None)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_token.revoke", obj=token, after={"revoked_at": token.revoked_at})
    return token


class TokenRejected(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def api_token_authenticate(secret: str) -> User:
    """The user behind a bearer secret, or TokenRejected saying why (unknown, expired, revoked)."""
    return api_token_resolve(secret).user


def api_token_resolve(secret: str) -> ApiToken:
    """The usable token of a bearer secret (its user loaded), or TokenRejected saying why."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_secret(secret)).first()
    if token is None:
        raise TokenRejected("token_invalid", _("Khóa API không hợp lệ."))
    if token.revoked_at is not None:
        raise TokenRejected("token_revoked", _("Khóa API đã bị thu hồi."))
    if token.expires_at <= timezone.now():
        raise TokenRejected("token_expired", _("Khóa API đã hết hạn."))
    if not token.user.is_active:
        raise TokenRejected("user_inactive", _("Tài khoản của khóa API đã bị khóa."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
