"""Upload checks and thumbnails for heritage media. Nothing is stored before every check passes.

Images: the name must be safe, the size within `HERITAGE_MAX_IMAGE_BYTES` (20 MB by default),
and Pillow must open and verify the content as JPEG, PNG, WebP or GIF (the extension is not
trusted). Two JPEG thumbnails are made (320 px and 1024 px on the long side). Documents: PDF only
(by signature), within `HERITAGE_MAX_DOCUMENT_BYTES` (30 MB). Stored names are generated; the
original name is kept only as a label.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

MB = 1024 * 1024
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
THUMB_SIZES = (320, 1024)
MAX_PIXELS = 60_000_000  # a decompression bomb guard (about 9,000 × 6,500)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def max_image_bytes() -> int:
    return int(getattr(settings, "HERITAGE_MAX_IMAGE_BYTES", 20 * MB))


def max_document_bytes() -> int:
    return int(getattr(settings, "HERITAGE_MAX_DOCUMENT_BYTES", 30 * MB))


def safe_name(name: str, allowed_extensions: set[str]) -> str:
    """The original file name if it is safe to show and keep as a label, else InvalidInput."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    if not name:
        raise InvalidInput(_("Tệp tải lên không có tên."), code="unsafe_name")
    if len(name) > 180 or _UNSAFE_NAME.search(name) or name.startswith(".") or ".." in name:
        raise InvalidInput(
            _(
                "Tên tệp “%(name)s” không an toàn: không dùng đường dẫn, ký tự điều khiển hay "
                'các ký tự / \\ : * ? " < > |.'
            )
            % {"name": name[:60]},
            code="unsafe_name",
        )
    stem, dot, extension = name.rpartition(".")
    if not dot or f".{extension.lower()}" not in allowed_extensions:
        raise InvalidInput(
            _("Đuôi tệp không được chấp nhận. Cho phép: %(ext)s.")
            % {"ext": ", ".join(sorted(allowed_extensions))},
            code="bad_extension",
        )
    # A second executable-looking extension ("anh.php.jpg") is refused too.
    if re.search(r"\.(php\d?|phtml|asp|aspx|jsp|exe|sh|bat|cmd|js|html?|svg)(\.|$)", stem.lower() + "."):
        raise InvalidInput(_("Tên tệp “%(name)s” không an toàn.") % {"name": name[:60]}, code="unsafe_name")
    return name


def _check_size(upload: Any, limit: int) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        raise InvalidInput(_("Không xác định được kích thước tệp."), code="bad_upload")
    if size <= 0:
        raise InvalidInput(_("Tệp tải lên rỗng."), code="empty_file")
    if size > limit:
        raise InvalidInput(
            _("Tệp quá lớn: %(size)s MB (tối đa %(limit)s MB).")
            % {"size": f"{size / MB:.1f}", "limit": f"{limit / MB:g}"},
            code="file_too_large",
        )
    return size


@dataclass
class CheckedImage:
    original_name: str
    content: bytes
    size: int
    width: int
    height: int
    image_format: str
    content_type: str
    extension: str


@dataclass
class StoredImage:
    names: tuple[str, str, str]  # original, small thumbnail, large thumbnail


@dataclass
class CheckedDocument:
    original_name: str
    content: bytes
    size: int


def _read(upload: Any, limit: int) -> bytes:
    upload.seek(0) if hasattr(upload, "seek") else None
    content = upload.read(limit + 1)
    if len(content) > limit:  # the declared size lied
        raise InvalidInput(
            _("Tệp quá lớn (tối đa %(limit)s MB).") % {"limit": f"{limit / MB:g}"}, code="file_too_large"
        )
    return content


def check_image(upload: Any) -> CheckedImage:
    from PIL import Image, UnidentifiedImageError

    name = safe_name(getattr(upload, "name", ""), IMAGE_EXTENSIONS)
    limit = max_image_bytes()
    _check_size(upload, limit)
    content = _read(upload, limit)
    not_image = InvalidInput(
        _("Tệp “%(name)s” không phải là ảnh hợp lệ (chấp nhận JPEG, PNG, WebP, GIF).") % {"name": name[:60]},
        code="not_an_image",
    )
    try:
        with Image.open(io.BytesIO(content)) as probe:
            image_format = probe.format
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(
                    _("Ảnh quá lớn: %(w)s × %(h)s điểm ảnh.") % {"w": width, "h": height},
                    code="image_too_large",
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as full:
            full.load()  # a truncated or corrupt file fails here
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    if image_format not in IMAGE_FORMATS:
        raise not_image
    content_type, extension = IMAGE_FORMATS[image_format]
    return CheckedImage(name, content, len(content), width, height, image_format, content_type, extension)


def thumbnail(content: bytes, size: int) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(content)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((size, size))
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()


def _base_name() -> str:
    now = timezone.now()
    return f"heritage/media/{now:%Y/%m}/{uuid.uuid4().hex}"


def store_image(checked: CheckedImage) -> StoredImage:
    base = _base_name()
    names: list[str] = []
    try:
        names.append(default_storage.save(f"{base}.{checked.extension}", ContentFile(checked.content)))
        for size in THUMB_SIZES:
            names.append(
                default_storage.save(f"{base}_{size}.jpg", ContentFile(thumbnail(checked.content, size)))
            )
    except Exception:
        delete_files(names)
        raise
    return StoredImage((names[0], names[1], names[2]))


def check_document(upload: Any) -> CheckedDocument:
    name = safe_name(getattr(upload, "name", ""), {".pdf"})
    limit = max_document_bytes()
    _check_size(upload, limit)
    content = _read(upload, limit)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise InvalidInput(
            _("Tệp “%(name)s” không phải là tài liệu PDF hợp lệ.") % {"name": name[:60]}, code="not_a_pdf"
        )
    return CheckedDocument(name, content, len(content))


def store_document(checked: CheckedDocument) -> str:
    return default_storage.save(f"{_base_name()}.pdf", ContentFile(checked.content))


def delete_files(names: list[str] | tuple[str, ...]) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                pass


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
