"""Reads of people, grants and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from vhttdl.core.accounts.models import ApiToken, Grant, User
from vhttdl.core.accounts.policy import scope
from vhttdl.core.accounts.roles import Action, Role, actions_of
from vhttdl.core.units.models import Organisation


def grants_of(user: User) -> QuerySet[Grant]:
    return Grant.objects.filter(user=user).select_related("organisation", "organisation__area").order_by(
        "organisation__path", "role"
    )


def users_with(action: str, *, at: Organisation, inherited: bool = True) -> QuerySet[User]:
    """Active people who hold `action` at the unit `at`: through a grant at `at` or at a unit above it
    (a grant covers its subtree), at a unit still open. `inherited=False`: grants at `at` itself only
    (the people of that level, e.g. to notify the level that must act rather than everyone above it).

    For notifications and the like; to ask whether one person may act, use `policy.can`.
    """
    roles = [role for role in Role if action in actions_of(role)]
    if not roles:
        return User.objects.none()
    grants = Grant.objects.filter(role__in=roles, organisation__valid_to__isnull=True)
    grants = grants.filter(organisation__path__in=at.ancestor_paths()) if inherited else grants.filter(organisation=at)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("username")


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
