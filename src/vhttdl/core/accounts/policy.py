"""The one policy: `can(user, action, obj)` and scoped querysets.

A grant of role R at unit U lets its holder take R's actions on U and on everything below U.
Objects answer "which unit owns you?" by being an Organisation or by having an `organisation`
attribute. Every module asks here; none checks roles by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vhttdl.core.accounts.roles import actions_of
from vhttdl.core.units.models import Organisation

_CACHE_ATTR = "_vhttdl_grants"


class SystemActor:
    """The platform itself (loaders, scheduled jobs, migrations): may do everything, audited as "system"."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


@dataclass(frozen=True)
class HeldGrant:
    role: str
    organisation_id: int
    organisation_name: str
    organisation_name_en: str
    path: str
    actions: frozenset[str]


def held_grants(user: Any) -> list[HeldGrant]:
    """The user's grants, read once per user object (one query) and kept on it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from vhttdl.core.accounts.models import Grant

        rows = Grant.objects.filter(user=user, organisation__valid_to__isnull=True).values_list(
            "role", "organisation_id", "organisation__name", "organisation__name_en", "organisation__path"
        )
        cached = [HeldGrant(role, org_id, name, name_en, path, actions_of(role))
                  for role, org_id, name, name_en, path in rows]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def owning_organisation(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def granted_paths(user: Any, action: str) -> list[str]:
    """The subtree roots where `user` may take `action`, with nested roots folded away."""
    paths = sorted({g.path for g in held_grants(user) if action in g.actions})
    folded: list[str] = []
    for path in paths:
        if not folded or not path.startswith(folded[-1]):
            folded.append(path)
    return folded


def can(user: Any, action: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    paths = granted_paths(user, action)
    if obj is None:
        return bool(paths)
    organisation = owning_organisation(obj)
    if organisation is None:
        return False
    return any(organisation.path.startswith(path) for path in paths)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied, with a message for people, unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này trên đối tượng này."))


def scope(user: Any, action: str, queryset: QuerySet, *, via: str = "organisation") -> QuerySet:
    """Filter `queryset` to the objects whose owning unit lies under a grant for `action`.

    `via` is the lookup from the queryset's model to its Organisation ("organisation",
    "submission__organisation"); for Organisation itself pass via="".
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    paths = granted_paths(user, action)
    if not paths:
        return queryset.none()
    lookup = f"{via}__path__startswith" if via else "path__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return queryset.filter(condition)


def organisations_for(user: Any, action: str) -> QuerySet[Organisation]:
    """Every unit where `user` may take `action`."""
    return scope(user, action, Organisation.objects.all(), via="")
