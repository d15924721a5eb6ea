from datetime import datetime

from ninja import Schema


class GrantOut(Schema):
    role: str
    role_label: str
    organisation_code: str
    organisation_name: str


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    language: str
    is_superuser: bool
    grants: list[GrantOut]


class TokenIn(Schema):
    name: str
    days: int | None = None


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIssuedOut(TokenOut):
    secret: str
