"""Who may do what with heritage records, on top of the one policy (`core.accounts.policy`).

- view (back office): `heritage.view` on the record's owning unit (its subtree grant). Published
  records are public on the portal, which does not go through here.
- edit (create, change, media, import): `heritage.edit` on the owning unit: a province's department
  staff edit records owned by their department or units below it; the Ministry edits all.
- publish / unpublish: `heritage.publish` on the owning unit.
A record of another province is refused with 403 (PermissionDenied), never shown.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can, organisations_for, require
from vhttdl.core.units.models import Area, Organisation
from vhttdl.heritage.actions import HeritageAction

# Kinds of unit that may own heritage records.
OWNER_KINDS = (
    Organisation.Kind.MINISTRY,
    Organisation.Kind.AGENCY,
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.RELIC_BOARD,
    Organisation.Kind.MUSEUM,
    Organisation.Kind.CULTURE_CENTRE,
    Organisation.Kind.COMMUNE_OFFICE,
)


def can_view(actor: Any, record: Any) -> bool:
    return can(actor, HeritageAction.VIEW, record) or can(actor, HeritageAction.EDIT, record)


def can_edit(actor: Any, record: Any) -> bool:
    return can(actor, HeritageAction.EDIT, record)


def can_publish(actor: Any, record: Any) -> bool:
    return can(actor, HeritageAction.PUBLISH, record)


def require_view(actor: Any, record: Any) -> None:
    if not can_view(actor, record):
        raise PermissionDenied(_("Bản ghi này thuộc đơn vị ngoài phạm vi của bạn."))


def require_edit(actor: Any, record: Any) -> None:
    require(actor, HeritageAction.EDIT, record)


def require_publish(actor: Any, record: Any) -> None:
    if not can_publish(actor, record):
        raise PermissionDenied(_("Bạn không có quyền công bố hoặc gỡ công bố bản ghi này."))


def owner_choices(actor: Any):
    """Current units where `actor` may create records (for the owner select)."""
    return (
        organisations_for(actor, HeritageAction.EDIT)
        .current()
        .filter(kind__in=OWNER_KINDS)
        .order_by("sort_name", "code")
    )


def default_owner(actor: Any, province: Area | None) -> Organisation | None:
    """The unit that owns a new record: the province's department when the actor may edit there,
    else the highest unit where the actor holds `heritage.edit`."""
    if province is not None:
        department = Organisation.objects.current().filter(code=f"SO-{province.code}").first()
        if department is not None and can(actor, HeritageAction.EDIT, department):
            return department
        department = (
            Organisation.objects.current()
            .filter(kind=Organisation.Kind.DEPARTMENT, area=province)
            .order_by("path")
            .first()
        )
        if department is not None and can(actor, HeritageAction.EDIT, department):
            return department
    return owner_choices(actor).order_by("depth", "path").first()


def check_owner(actor: Any, organisation: Organisation) -> None:
    """The chosen owner must be a current unit inside the actor's edit scope."""
    if organisation.valid_to is not None:
        raise PermissionDenied(_("Đơn vị %(name)s đã ngừng hoạt động.") % {"name": organisation.name})
    require(actor, HeritageAction.EDIT, organisation)
