from datetime import datetime

from ninja import Field, Schema


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
    name: str = Field(..., max_length=100)
    days: int | None = Field(None, description="1–366; left out: API_TOKEN_DEFAULT_DAYS (90)")
    password: str | None = Field(
        None, max_length=4096,
        description="Your password, when you signed in more than API_TOKEN_REAUTH_MINUTES (15) minutes ago",
    )


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
