"""Every write to the organisation tree: add, rename, move, close. Each one audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import require
from vhttdl.core.accounts.roles import Action
from vhttdl.core.audit.services import audit_record, snapshot
from vhttdl.core.errors import InvalidInput, check_version
from vhttdl.core.units.history import today
from vhttdl.core.units.models import Area, Organisation, path_segment
from vhttdl.core.units.signals import announce_closed, announce_moved

EDITABLE_FIELDS = ("name", "name_en", "short_name", "kind", "area_id", "email")


def _check_code_free(code: str) -> None:
    if Organisation.objects.filter(code=code).exists():
        raise InvalidInput(_("Mã đơn vị “%(code)s” đã được dùng.") % {"code": code}, code="duplicate_code")


def _check_parent_open(parent: Organisation | None) -> None:
    if parent is not None and not parent.is_current:
        raise InvalidInput(
            _("Đơn vị cấp trên “%(name)s” đã giải thể, không thể thêm đơn vị vào đó.") % {"name": parent.name},
            code="parent_closed",
        )


def organisation_build(
    *, code: str, name: str, kind: str, parent: Organisation | None, area: Area | None = None,
    name_en: str = "", short_name: str = "", email: str = "", valid_from: date | None = None,
    valid_to: date | None = None,
) -> Organisation:
    """Insert one unit with its path; no permission check or audit (loaders and services share it)."""
    organisation = Organisation.objects.create(
        code=code, name=name, name_en=name_en, short_name=short_name, kind=kind, parent=parent, area=area,
        email=email, valid_from=valid_from, valid_to=valid_to, path=f"tmp-{code}",
        depth=(parent.depth + 1) if parent else 1,
    )
    organisation.path = (parent.path if parent else "") + path_segment(organisation.pk)
    Organisation.objects.filter(pk=organisation.pk).update(path=organisation.path)
    return organisation


def organisation_create(
    *, actor: Any, code: str, name: str, kind: str, parent: Organisation, area: Area | None = None,
    name_en: str = "", short_name: str = "", email: str = "", valid_from: date | None = None,
) -> Organisation:
    require(actor, Action.UNITS_MANAGE, parent)
    code = code.strip()
    if not code or not name.strip():
        raise InvalidInput(_("Mã và tên đơn vị không được để trống."), code="required")
    if kind not in Organisation.Kind.values:
        raise InvalidInput(_("Loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind}, code="bad_kind")
    with transaction.atomic():
        _check_code_free(code)
        _check_parent_open(parent)
        organisation = organisation_build(
            code=code, name=name.strip(), kind=kind, parent=parent, area=area, name_en=name_en,
            short_name=short_name, email=email, valid_from=valid_from or today(),
        )
        audit_record(actor=actor, action="organisation.create", obj=organisation, after=snapshot(organisation))
    return organisation


def organisation_update(
    *, actor: Any, organisation: Organisation, version: int | None = None, **changes: Any
) -> Organisation:
    """Rename or re-describe a unit. The code and the place in the tree change elsewhere."""
    require(actor, Action.UNITS_MANAGE, organisation)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("Không sửa được các trường: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_version(locked, version)
        before = snapshot(locked, list(EDITABLE_FIELDS))
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        if not locked.name:
            raise InvalidInput(_("Tên đơn vị không được để trống."), code="required")
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor, action="organisation.update", obj=locked, before=before,
            after=snapshot(locked, list(EDITABLE_FIELDS)),
        )
    return locked


def organisation_move(
    *, actor: Any, organisation: Organisation, new_parent: Organisation, version: int | None = None
) -> Organisation:
    """Move a unit and its whole subtree under another unit, in one UPDATE of their paths."""
    require(actor, Action.UNITS_MANAGE, organisation)
    require(actor, Action.UNITS_MANAGE, new_parent)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        new_parent = Organisation.objects.get(pk=new_parent.pk)
        check_version(locked, version)
        if new_parent.path.startswith(locked.path):
            raise InvalidInput(
                _("Không thể chuyển “%(unit)s” vào dưới chính nó hoặc đơn vị cấp dưới của nó (“%(target)s”).")
                % {"unit": locked.name, "target": new_parent.name},
                code="move_into_own_subtree",
            )
        _check_parent_open(new_parent)
        old_path, old_parent_id = locked.path, locked.parent_id
        new_path = new_parent.path + path_segment(locked.pk)
        depth_shift = new_parent.depth + 1 - locked.depth
        Organisation.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
        Organisation.objects.filter(pk=locked.pk).update(parent=new_parent, version=F("version") + 1)
        locked.refresh_from_db()
        audit_record(
            actor=actor, action="organisation.move", obj=locked,
            before={"parent_id": old_parent_id, "path": old_path},
            after={"parent_id": new_parent.pk, "path": locked.path},
        )
        announce_moved(organisation_id=locked.pk, old_path=old_path, new_path=locked.path)
    return locked


def organisation_close(
    *, actor: Any, organisation: Organisation, on: date | None = None,
    successors: list[Organisation] | None = None, version: int | None = None,
) -> Organisation:
    """Close a unit on a date, naming what it became. Its records and history stay."""
    require(actor, Action.UNITS_MANAGE, organisation)
    on = on or today()
    successors = successors or []
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_version(locked, version)
        if locked.valid_to is not None:
            closed_on = date_format(locked.valid_to, "SHORT_DATE_FORMAT")
            raise InvalidInput(_("Đơn vị này đã giải thể từ %(d)s.") % {"d": closed_on}, code="closed")
        open_children = Organisation.objects.filter(parent=locked, valid_to__isnull=True)
        if open_children.exists():
            raise InvalidInput(
                _("Còn %(n)s đơn vị cấp dưới đang hoạt động: hãy chuyển hoặc giải thể chúng trước.")
                % {"n": open_children.count()},
                code="has_open_children",
            )
        if any(s.pk == locked.pk for s in successors):
            raise InvalidInput(_("Một đơn vị không thể kế thừa chính nó."), code="self_successor")
        locked.valid_to = on
        locked.version += 1
        locked.save(update_fields=["valid_to", "version"])
        locked.successors.set(successors)
        audit_record(
            actor=actor, action="organisation.close", obj=locked, before={"valid_to": None},
            after={"valid_to": on, "successors": [s.pk for s in successors]},
        )
        announce_closed(organisation_id=locked.pk, valid_to=on, successor_ids=[s.pk for s in successors])
    return locked
