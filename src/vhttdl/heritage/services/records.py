"""The steps every kind of record shares: assign fields, owner, create, update, publish, delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import Conflict, InvalidInput, check_version
from vhttdl.core.text.safety import control_character_position
from vhttdl.core.units.models import Organisation
from vhttdl.heritage import permissions
from vhttdl.heritage.models import RecordStatus
from vhttdl.heritage.services.common import Record, _lock, _revise, kind_of, record_snapshot
from vhttdl.heritage.services.media import delete_media_files_on_commit
from vhttdl.heritage.services.search import index_records


def _assign(record: Record, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise InvalidInput(
            _("Trường không được phép: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    for name, value in data.items():
        if isinstance(value, str):
            position = control_character_position(value)
            if position is not None:
                raise InvalidInput(
                    _("Trường %(field)s chứa ký tự điều khiển không được phép (vị trí %(position)s).")
                    % {"field": name, "position": position + 1},
                    code="invalid_record",
                    details={"fields": {name: [_("Chứa ký tự điều khiển không được phép.")]}},
                )
            if name not in ("area_geojson", "zone1_geojson", "zone2_geojson"):
                value = value.strip()
        setattr(record, name, value)


def _set_owner(*, actor: Any, record: Record, organisation: Organisation | None) -> None:
    if organisation is None:
        province = getattr(record, "province", None) if getattr(record, "province_id", None) else None
        organisation = permissions.default_owner(actor, province)
        if organisation is None:
            raise InvalidInput(
                _("Bạn chưa được giao quyền nhập dữ liệu di sản tại đơn vị nào."), code="no_owner"
            )
    permissions.check_owner(actor, organisation)
    record.organisation = organisation


def _create(
    *, actor: Any, model: type, data: dict, allowed: tuple[str, ...], validate, publish: bool
) -> Record:
    data = dict(data)
    organisation = data.pop("organisation", None)
    record = model()
    _assign(record, data, tuple(f for f in allowed if f != "organisation"))
    _set_owner(actor=actor, record=record, organisation=organisation)
    if publish:
        permissions.require_publish(actor, record)
        record.status = RecordStatus.PUBLISHED
        record.published_at = timezone.now()
    validate(record)
    record.version = 1
    record.save()
    return record


def _update(
    *, actor: Any, record: Record, data: dict, version: int | None, allowed: tuple[str, ...], validate
) -> tuple[Record, dict]:
    permissions.require_edit(actor, record)
    record = _lock(record)
    permissions.require_edit(actor, record)
    check_version(record, version)
    before = record_snapshot(record)
    data = dict(data)
    organisation = data.pop("organisation", None)
    _assign(record, data, tuple(f for f in allowed if f != "organisation"))
    if organisation is not None and organisation.pk != record.organisation_id:
        permissions.check_owner(actor, organisation)
        record.organisation = organisation
    validate(record)
    record.version += 1
    record.save()
    return record, before


def _set_status(*, actor: Any, record: Record, status: str, version: int | None) -> Record:
    permissions.require_publish(actor, record)
    with transaction.atomic():
        record = _lock(record)
        permissions.require_publish(actor, record)
        check_version(record, version)
        if record.status == status:
            raise Conflict(
                _("Bản ghi đã ở trạng thái “%(status)s”.") % {"status": record.get_status_display()},
                code="same_status",
            )
        before = record_snapshot(record)
        record.status = status
        record.published_at = timezone.now() if status == RecordStatus.PUBLISHED else None
        record.version += 1
        record.save(update_fields=["status", "published_at", "version", "updated_at"])
        action = "published" if status == RecordStatus.PUBLISHED else "unpublished"
        _revise(actor=actor, record=record, action=action, before=before)
    return record


def record_publish(*, actor: Any, record: Record, version: int | None = None) -> Record:
    """Draft → published (needs `heritage.publish` on the owning unit)."""
    return _set_status(actor=actor, record=record, status=RecordStatus.PUBLISHED, version=version)


def record_unpublish(*, actor: Any, record: Record, version: int | None = None) -> Record:
    """Published → draft: the record leaves the portal and the public search."""
    return _set_status(actor=actor, record=record, status=RecordStatus.DRAFT, version=version)


def record_delete(*, actor: Any, record: Record, version: int | None = None) -> None:
    """Delete a draft (published records must be unpublished first). Revisions stay for the record."""
    permissions.require_edit(actor, record)
    with transaction.atomic():
        record = _lock(record)
        check_version(record, version)
        if record.is_published:
            raise Conflict(_("Hãy gỡ công bố trước khi xóa bản ghi."), code="published")
        before = record_snapshot(record)
        kind, pk = kind_of(record), record.pk
        for item in list(record.media.all()):
            delete_media_files_on_commit(item)
        record.delete()
        audit_record(
            actor=actor,
            action=f"{kind}.deleted",
            object_type=kind,
            object_id=pk,
            object_repr=str(before.get("name", ""))[:255],
            before=before,
        )
        index_records(kind, [pk])
