"""Media of a record: images (with thumbnails), PDF documents, video and virtual-tour links.

Files are checked (core.files, through `heritage.media`) before anything is stored; a row that
fails to save takes its stored files with it; a removed row's files go after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import InvalidInput
from vhttdl.core.revisions.services import revision_record
from vhttdl.core.text.safety import reject_control_characters
from vhttdl.heritage import media as media_files
from vhttdl.heritage import permissions
from vhttdl.heritage.models import Festival, IntangibleHeritage, Media, Site
from vhttdl.heritage.services.common import Record, _lock, kind_of


def _media_owner_kwargs(record: Record) -> dict[str, Record]:
    if isinstance(record, Site):
        return {"site": record}
    if isinstance(record, IntangibleHeritage):
        return {"intangible": record}
    if isinstance(record, Festival):
        return {"festival": record}
    raise InvalidInput(_("Không thể gắn tư liệu vào đối tượng này."), code="bad_owner")


def _media_common(caption: str, caption_en: str, credit: str, sort_order: int | None) -> dict[str, Any]:
    texts = ((_("Chú thích"), caption), (_("Chú thích tiếng Anh"), caption_en), (_("Nguồn, tác giả"), credit))
    for label, text in texts:
        reject_control_characters(text, field=label)
    return {
        "caption": (caption or "").strip()[:255],
        "caption_en": (caption_en or "").strip()[:255],
        "credit": (credit or "").strip()[:255],
        "sort_order": max(0, int(sort_order or 0)),
    }


def _save_stored_media(*, actor: Any, record: Record, item, names: list[str]) -> None:
    """Save a media row whose files are already stored; if that fails, the files go too (nothing half-kept)."""
    try:
        item.save()
        _media_changed(actor=actor, record=record, action="media_added", item=item)
    except Exception:
        media_files.delete_files(names)
        raise


def media_add_image(
    *,
    actor: Any,
    record: Record,
    upload: Any,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Check the upload really is an image within the size limit, store it with two thumbnails."""
    permissions.require_edit(actor, record)
    checked = media_files.check_image(upload)  # raises InvalidInput before anything is stored
    with transaction.atomic():
        locked = _lock(record)
        item = Media(
            kind=Media.Kind.IMAGE,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        stored = media_files.store_image(checked)
        item.file.name, item.thumb_small.name, item.thumb_large.name = stored.names
        item.original_name, item.content_type = checked.original_name, checked.content_type
        item.size, item.width, item.height = checked.size, checked.width, checked.height
        _save_stored_media(actor=actor, record=locked, item=item, names=list(stored.names))
    return item


def media_add_document(
    *,
    actor: Any,
    record: Record,
    upload: Any,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Attach a PDF document (checked by its signature and size)."""
    permissions.require_edit(actor, record)
    checked = media_files.check_document(upload)
    with transaction.atomic():
        locked = _lock(record)
        item = Media(
            kind=Media.Kind.DOCUMENT,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        item.file.name = media_files.store_document(checked)
        item.original_name, item.content_type, item.size = checked.original_name, checked.content_type, checked.size
        _save_stored_media(actor=actor, record=locked, item=item, names=[item.file.name])
    return item


def media_add_link(
    *,
    actor: Any,
    record: Record,
    kind: str,
    url: str,
    caption: str = "",
    caption_en: str = "",
    credit: str = "",
    sort_order: int | None = 0,
):
    """Attach a video or virtual-tour link (http/https only)."""
    if kind not in (Media.Kind.VIDEO, Media.Kind.VIRTUAL_TOUR):
        raise InvalidInput(_("Loại liên kết không hợp lệ."), code="bad_kind")
    url = media_files.clean_link(url)
    permissions.require_edit(actor, record)
    with transaction.atomic():
        locked = _lock(record)
        item = Media.objects.create(
            kind=kind,
            url=url,
            created_by=actor if isinstance(actor, Model) else None,
            **_media_owner_kwargs(locked),
            **_media_common(caption, caption_en, credit, sort_order),
        )
        _media_changed(actor=actor, record=locked, action="media_added", item=item)
    return item


def media_delete(*, actor: Any, item) -> None:
    record = item.record
    permissions.require_edit(actor, record)
    with transaction.atomic():
        locked = _lock(record)
        names = [n for n in (item.file.name, item.thumb_small.name, item.thumb_large.name) if n]
        summary = _media_summary(item)
        item.delete()
        _media_changed(actor=actor, record=locked, action="media_removed", item=None, summary=summary)
        transaction.on_commit(lambda: media_files.delete_files(names))


def delete_media_files_on_commit(item: Media) -> None:
    """Remove the item's stored files once the transaction that removes its row has committed."""
    names = [n for n in (item.file.name, item.thumb_small.name, item.thumb_large.name) if n]
    transaction.on_commit(lambda: media_files.delete_files(names))


def _media_summary(item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "file": item.file.name,
        "url": item.url,
        "caption": item.caption,
        "original_name": item.original_name,
        "size": item.size,
    }


def _media_changed(
    *, actor: Any, record: Record, action: str, item=None, summary: dict | None = None
) -> None:
    """A media item added or removed: the record's version moves on, with a revision and an audit entry."""
    before = {"version": record.version}
    record.version += 1
    record.save(update_fields=["version", "updated_at"])
    summary = summary or _media_summary(item)
    removed = action == "media_removed"
    revision_record(
        actor=actor,
        obj=record,
        action=action,
        before={"media": summary if removed else None},
        after={"media": None if removed else summary},
        snapshot={"media": summary, "version": record.version},
    )
    audit_record(
        actor=actor,
        action=f"{kind_of(record)}.{action}",
        obj=record,
        before=before,
        after={"version": record.version, "media": summary},
    )
