"""/api/v1/accounts: who am I, and my API tokens."""


from django.shortcuts import get_object_or_404
from ninja import Router

from vhttdl.core.accounts import selectors, services
from vhttdl.core.accounts.models import ApiToken
from vhttdl.core.accounts.roles import Role
from vhttdl.core.accounts.schemas import MeOut, TokenIn, TokenIssuedOut, TokenOut

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
    issued = services.api_token_create(actor=request.auth, user=request.auth, name=payload.name, days=payload.days)
    out = TokenOut.from_orm(issued.token).dict()
    return 201, {**out, "secret": issued.secret}


@router.delete("/tokens/{token_id}", response=TokenOut)
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    return services.api_token_revoke(actor=request.auth, token=token)
