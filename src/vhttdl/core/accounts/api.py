"""/api/v1/accounts: who am I, and my API tokens."""


from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from vhttdl.core.accounts import selectors, services
from vhttdl.core.accounts.models import ApiToken
from vhttdl.core.accounts.reauth import mark_password_confirmed, password_confirmed_at
from vhttdl.core.accounts.roles import Role
from vhttdl.core.accounts.schemas import MeOut, TokenIn, TokenIssuedOut, TokenOut
from vhttdl.core.api.types import Id

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    grants = [
        {"role": g.role, "role_label": str(Role(g.role).label), "organisation_code": g.organisation.code,
         "organisation_name": g.organisation.name}
        for g in selectors.grants_of(user)
    ]
    return {"username": user.username, "full_name": user.full_name, "email": user.email,
            "language": user.language, "is_superuser": user.is_superuser, "grants": grants}


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request):
    return selectors.token_list(user=request.auth)


@router.post("/tokens", response={201: TokenIssuedOut})
def create_token(request, payload: TokenIn):
    """Issue a token to yourself, from a signed-in session only (a token never issues tokens).

    The session must have entered its password within API_TOKEN_REAUTH_MINUTES (15): at login,
    or now in `password`. Otherwise 403 `password_required` (or `wrong_password`).
    """
    if getattr(request, "api_token", None) is not None:
        raise services.PasswordRequired(
            _("Không thể tạo khóa API bằng một khóa API: hãy đăng nhập bằng mật khẩu trên trình duyệt."),
            code="token_cannot_issue",
        )
    if payload.password:
        if authenticate(request, username=request.auth.get_username(), password=payload.password) != request.auth:
            raise services.PasswordRequired(_("Mật khẩu không đúng."), code="wrong_password")
        mark_password_confirmed(request.session)
    issued = services.api_token_create(
        actor=request.auth, user=request.auth, name=payload.name, days=payload.days,
        password_confirmed_at=password_confirmed_at(getattr(request, "session", None)),
    )
    out = TokenOut.from_orm(issued.token).dict()
    return 201, {**out, "secret": issued.secret}


@router.delete("/tokens/{token_id}", response=TokenOut)
def revoke_token(request, token_id: Id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    return services.api_token_revoke(actor=request.auth, token=token)
