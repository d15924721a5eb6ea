"""The one upload check every app uses: name, size, type by content, and the kind's own limits.

    checked = check_upload(upload, accept={"jpeg", "png", "webp", "gif"}, max_bytes=20 * MB)

In order, before anything is stored: the original name is safe (it is only kept as a label) and has
an extension of an accepted kind; the declared size and then the bytes actually read are within
`max_bytes`; the file is not empty; the *content* is of an accepted kind (magic bytes: a program
renamed `anh.png` is refused as not an image) and agrees with the name's extension (any image
extension for any image kind, since phones and editors mix them); and then per kind: an image's dimensions from its
header within the pixel limit, then decoded under Pillow's bomb guard (see `images`); a PDF ends
with `%%EOF`; a ZIP or workbook within the archive limits (see `archives`). Every refusal is an
InvalidInput (400) with a message that names the file and the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.files import images
from vhttdl.core.files.archives import ArchiveLimits, check_archive
from vhttdl.core.files.kinds import IMAGE_KINDS, KINDS, FileKind, sniff
from vhttdl.core.files.names import safe_original_name

MB = 1024 * 1024


@dataclass
class CheckedFile:
    original_name: str
    content: bytes
    kind: FileKind
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def content_type(self) -> str:
        return self.kind.content_type

    @property
    def extension(self) -> str:
        return self.kind.extension


def _megabytes(n: int | float) -> str:
    return f"{n / MB:g}" if n % MB == 0 else f"{n / MB:.1f}"


def too_large(size: int, limit: int) -> InvalidInput:
    return InvalidInput(
        _("Tệp quá lớn: %(size)s MB (tối đa %(limit)s MB).") % {"size": f"{size / MB:.1f}", "limit": _megabytes(limit)},
        code="file_too_large",
        details={"size": size, "max_bytes": limit},
    )


def read_limited(upload: Any, max_bytes: int) -> bytes:
    """The bytes of an upload (or bytes), refusing more than `max_bytes` whatever its declared size said."""
    if isinstance(upload, (bytes, bytearray)):
        content = bytes(upload)
    else:
        declared = getattr(upload, "size", None)
        if declared is not None and declared > max_bytes:
            raise too_large(declared, max_bytes)
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise too_large(len(content), max_bytes)
    if not content:
        raise InvalidInput(_("Tệp tải lên rỗng."), code="empty_file")
    return content


def _kinds_label(accept: Iterable[str]) -> str:
    return ", ".join(KINDS[code].label for code in sorted(accept))


def wrong_kind(name: str, accept: frozenset[str], found: str) -> InvalidInput:
    if accept <= IMAGE_KINDS:
        message = _("Tệp “%(name)s” không phải là ảnh hợp lệ (chấp nhận %(kinds)s).")
        code = "not_an_image"
    else:
        message = _("Nội dung tệp “%(name)s” không phải là %(kinds)s.")
        code = "wrong_type"
    found_label = KINDS[found].label if found in KINDS else found
    return InvalidInput(
        message % {"name": name[:60], "kinds": _kinds_label(accept)},
        code=code,
        details={"found": found_label, "accepted": sorted(accept)},
    )


def check_upload(
    upload: Any,
    *,
    accept: Iterable[str],
    max_bytes: int,
    name: str | None = None,
    archive_limits: ArchiveLimits | None = None,
) -> CheckedFile:
    """Check an upload (or bytes with `name`) as described in the module docstring."""
    accept = frozenset(accept)
    unknown = accept - set(KINDS)
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    extensions = set().union(*(KINDS[code].extensions for code in accept))
    original = safe_original_name(name if name is not None else getattr(upload, "name", ""), extensions)
    content = read_limited(upload, max_bytes)
    found = sniff(content)
    if found not in accept:
        raise wrong_kind(original, accept, found)
    extension = "." + original.rpartition(".")[2].lower()
    if found not in IMAGE_KINDS and extension not in KINDS[found].extensions:
        # The content decides, but a workbook named .csv (or text named .xlsx) is a mistake to report.
        raise InvalidInput(
            _("Tệp “%(name)s” không phải là %(expected)s như tên tệp cho biết: nội dung là %(found)s.")
            % {"name": original[:60], "found": KINDS[found].label,
               "expected": next((k.label for k in KINDS.values() if extension in k.extensions), extension)},
            code="wrong_type",
            details={"found": KINDS[found].label},
        )
    checked = CheckedFile(original_name=original, content=content, kind=KINDS[found])
    if found in IMAGE_KINDS:
        checked.width, checked.height = images.check_image(
            found, content, not_image=wrong_kind(original, accept & IMAGE_KINDS, found)
        )
    elif found == "pdf":
        if b"%%EOF" not in content[-2048:]:
            raise InvalidInput(
                _("Tệp “%(name)s” không phải là tài liệu PDF hợp lệ (tệp bị cắt cụt hoặc hỏng).")
                % {"name": original[:60]},
                code="not_a_pdf",
            )
    elif found in ("xlsx", "zip"):
        check_archive(content, archive_limits or ArchiveLimits.from_settings(), label=f"“{original[:60]}”")
    return checked
