"""Heritage media files: the limits heritage sets, and the thumbnails it keeps, on core.files.

Images: `HERITAGE_MAX_IMAGE_BYTES` (20 MB by default), JPEG, PNG, WebP or GIF *by content*, within
the platform's pixel limit (checked from the header before decoding, see core.files.images). Two
JPEG thumbnails are made (320 px and 1024 px on the long side). Documents: PDF only (by
signature), within `HERITAGE_MAX_DOCUMENT_BYTES` (30 MB). Stored names are generated
(`heritage/media/<yyyy>/<mm>/<random>`); the original name is kept only as a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.files import images, storage
from vhttdl.core.files.checks import CheckedFile, check_upload
from vhttdl.core.files.kinds import IMAGE_KINDS
from vhttdl.core.files.names import stored_name

MB = 1024 * 1024
THUMB_SIZES = (320, 1024)
PREFIX = "heritage/media"
thumbnail = images.thumbnail


def max_image_bytes() -> int:
    return int(getattr(settings, "HERITAGE_MAX_IMAGE_BYTES", 20 * MB))


def max_document_bytes() -> int:
    return int(getattr(settings, "HERITAGE_MAX_DOCUMENT_BYTES", 30 * MB))


@dataclass
class StoredImage:
    names: tuple[str, str, str]  # original, small thumbnail, large thumbnail


def check_image(upload: Any) -> CheckedFile:
    """A real image within the limits, or InvalidInput (nothing stored)."""
    return check_upload(upload, accept=IMAGE_KINDS, max_bytes=max_image_bytes())


def check_document(upload: Any) -> CheckedFile:
    """A PDF within the limit, or InvalidInput (nothing stored)."""
    return check_upload(upload, accept={"pdf"}, max_bytes=max_document_bytes())


def store_image(checked: CheckedFile) -> StoredImage:
    """Store the image and its two thumbnails; if one fails, the others are removed again."""
    base = stored_name(PREFIX, checked.extension)
    stem = base.rsplit(".", 1)[0]
    names: list[str] = []
    try:
        names.append(storage.store_bytes(checked.content, base))
        for size in THUMB_SIZES:
            names.append(storage.store_bytes(thumbnail(checked.content, size), f"{stem}_{size}.jpg"))
    except Exception:
        delete_files(names)
        raise
    return StoredImage((names[0], names[1], names[2]))


def store_document(checked: CheckedFile) -> str:
    return storage.store_bytes(checked.content, stored_name(PREFIX, "pdf"))


def delete_files(names: list[str] | tuple[str, ...]) -> None:
    storage.delete_files(names)


_URL = URLValidator(schemes=["http", "https"])


def clean_link(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise InvalidInput(_("Cần nhập đường dẫn."), code="bad_url")
    if len(url) > 500:
        raise InvalidInput(_("Đường dẫn quá dài (tối đa 500 ký tự)."), code="bad_url")
    try:
        _URL(url)
    except ValidationError as exc:
        raise InvalidInput(
            _("Đường dẫn không hợp lệ: chỉ chấp nhận địa chỉ http:// hoặc https://."), code="bad_url"
        ) from exc
    return url
