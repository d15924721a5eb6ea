"""When did this session last prove its password? Issuing an API token needs it to be recent.

A bearer token that could mint tokens would outlive its own expiry and revocation, so tokens are
only issued to a person in a browser session who entered the password at login, or again on the
profile page, within `API_TOKEN_REAUTH_MINUTES` (15 by default).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SESSION_KEY = "vhttdl_password_at"


def mark_password_confirmed(session) -> None:
    session[SESSION_KEY] = timezone.now().isoformat()


def password_confirmed_at(session) -> datetime | None:
    raw = session.get(SESSION_KEY) if session is not None else None
    try:
        return datetime.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


@receiver(user_logged_in, dispatch_uid="vhttdl.accounts.password_confirmed_at_login")
def _on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark_password_confirmed(request.session)
