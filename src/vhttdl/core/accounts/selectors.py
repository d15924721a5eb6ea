"""Reads of people, grants and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from vhttdl.core.accounts.models import ApiToken, Grant, User
from vhttdl.core.accounts.policy import scope
from vhttdl.core.accounts.roles import Action


def grants_of(user: User) -> QuerySet[Grant]:
    return Grant.objects.filter(user=user).select_related("organisation", "organisation__area").order_by(
        "organisation__path", "role"
    )


def user_list(*, actor: Any, q: str | None = None) -> QuerySet[User]:
    """People holding a grant somewhere the actor may view accounts."""
    visible_grants = scope(actor, Action.ACCOUNTS_VIEW, Grant.objects.all())
    qs = User.objects.filter(pk__in=visible_grants.values("user_id"))
    if getattr(actor, "is_superuser", False):
        qs = User.objects.all()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs.prefetch_related(
        Prefetch("grants", queryset=Grant.objects.select_related("organisation").order_by("organisation__path"))
    ).order_by("username")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
