"""Reads of areas and organisations, scoped to what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can, scope
from vhttdl.core.accounts.roles import Action
from vhttdl.core.units.history import as_of, today
from vhttdl.core.units.models import PATH_SEGMENT_WIDTH, Area, Organisation

# Units list in Vietnamese alphabetical order (the stored sort key, see core.text.collation).
NAME_ORDER = ("sort_name", "code")
_KIND_RANK = {kind: rank for rank, kind in enumerate(Organisation.Kind.values)}


def tree_order(organisations: Iterable[Organisation]) -> list[Organisation]:
    """Units in tree order, each followed by the units below it, siblings by kind then Vietnamese name.

    Works on any selection: a unit whose parent is not in it sits under its nearest ancestor that is.
    """
    units = list(organisations)
    by_path = {o.path: o for o in units}

    def key(unit: Organisation) -> list[tuple[int, str, str]]:
        chain = []
        for end in range(PATH_SEGMENT_WIDTH, len(unit.path) + 1, PATH_SEGMENT_WIDTH):
            ancestor = by_path.get(unit.path[:end])
            if ancestor is not None:
                chain.append((_KIND_RANK.get(ancestor.kind, 99), ancestor.sort_name, ancestor.code))
        return chain

    return sorted(units, key=key)


def organisation_list(
    *, actor: Any, parent: Organisation | None = None, kind: str | None = None, q: str | None = None,
    include_closed: bool = False, action: str = Action.UNITS_VIEW,
) -> QuerySet[Organisation]:
    qs = scope(actor, action, Organisation.objects.select_related("area", "parent"), via="")
    if parent is not None:
        qs = qs.filter(parent=parent)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(name_en__icontains=q))
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by(*NAME_ORDER)


def organisation_tree_rows(*, actor: Any, include_closed: bool = False, q: str | None = None) -> list[Organisation]:
    """Every visible unit in tree order (siblings in Vietnamese order), with how many units sit
    directly below each."""
    rows = organisation_list(actor=actor, include_closed=include_closed).annotate(
        child_count=Count("children", filter=Q(children__valid_to__isnull=True))
    )
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return tree_order(rows)


def get_organisation_for_actor(actor: Any, code: str, action: str = Action.UNITS_VIEW) -> Organisation:
    organisation = Organisation.objects.select_related("area", "parent").filter(code=code).first()
    if organisation is None:
        raise Http404(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
    if not can(actor, action, organisation):
        raise PermissionDenied(_("Bạn không có quyền với đơn vị “%(name)s”.") % {"name": organisation.name})
    return organisation


def area_list(*, level: str = Area.Level.PROVINCE, on: date | None = None, parent_code: str | None = None,
              q: str | None = None) -> QuerySet[Area]:
    qs = Area.objects.filter(level=level).valid_on(on or today())
    if parent_code:
        qs = qs.filter(parent__code=parent_code, parent__valid_to__isnull=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code=q))
    return qs.order_by("sort_name", "code")


def get_area(code: str, *, level: str = Area.Level.PROVINCE, on: date | None = None) -> Area:
    """The area that carried `code` on `on` (codes were reused across the 2025 merger)."""
    area = Area.objects.filter(level=level, code=code).valid_on(on or today()).first()
    if area is None:
        raise Http404(_("Không có đơn vị hành chính mã “%(code)s” vào ngày đó.") % {"code": code})
    return area


def area_as_of(code: str, *, level: str = Area.Level.PROVINCE, valid_on: date, resolve_on: date | None = None
               ) -> tuple[Area, list[Area]]:
    """The area known by `code` on `valid_on`, and what it is on `resolve_on` (default today)."""
    area = get_area(code, level=level, on=valid_on)
    return area, as_of(area, resolve_on)
