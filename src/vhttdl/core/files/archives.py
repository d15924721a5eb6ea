"""ZIP archives (and so xlsx workbooks) checked before anything unpacks them.

A ZIP's central directory declares every entry's unpacked size. Those sizes are checked against
the limits before a parser sees the file: the number of entries, the total unpacked size, and for
a workbook the shared-strings part (openpyxl keeps every shared string in memory, even in
read-only mode). A file that lies about its sizes gains nothing: Python's zipfile stops reading an
entry at its declared size and then fails on the CRC. So a 4 MB workbook that unpacks to 1 GB is
refused in milliseconds instead of taking a worker for 40 seconds and gigabytes of memory.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int
    max_unpacked_bytes: int
    max_shared_strings_bytes: int

    @classmethod
    def from_settings(cls, **overrides: int) -> ArchiveLimits:
        values = {
            "max_entries": int(getattr(settings, "FILES_MAX_ARCHIVE_ENTRIES", 1000)),
            "max_unpacked_bytes": int(getattr(settings, "FILES_MAX_UNPACKED_BYTES", 200 * MB)),
            "max_shared_strings_bytes": int(getattr(settings, "FILES_MAX_SHARED_STRINGS_BYTES", 50 * MB)),
        }
        values.update(overrides)
        return cls(**values)


def _mb(n: int) -> str:
    return f"{n / MB:.0f}" if n >= 10 * MB else f"{n / MB:.1f}"


def check_archive(content: bytes, limits: ArchiveLimits, *, label: str = "") -> None:
    """InvalidInput unless `content` is a readable ZIP within `limits` (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InvalidInput(
            _("Tệp %(name)s bị hỏng: không đọc được cấu trúc nén.") % {"name": label}, code="corrupted"
        ) from exc
    if len(entries) > limits.max_entries:
        raise InvalidInput(
            _("Tệp %(name)s có quá nhiều thành phần nén (%(n)s; tối đa %(max)s).")
            % {"name": label, "n": len(entries), "max": limits.max_entries},
            code="archive_too_many_entries",
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise InvalidInput(_("Tệp %(name)s được đặt mật khẩu; hãy bỏ mật khẩu.") % {"name": label}, code="encrypted")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked_bytes:
        raise InvalidInput(
            _("Tệp %(name)s quá lớn khi giải nén (%(size)s MB; tối đa %(max)s MB).")
            % {"name": label, "size": _mb(total), "max": _mb(limits.max_unpacked_bytes)},
            code="archive_too_large",
            details={"unpacked_bytes": total, "max_unpacked_bytes": limits.max_unpacked_bytes},
        )
    shared = sum(e.file_size for e in entries if e.filename.lower().startswith("xl/sharedstrings"))
    if shared > limits.max_shared_strings_bytes:
        raise InvalidInput(
            _("Bảng chuỗi dùng chung của tệp %(name)s quá lớn (%(size)s MB; tối đa %(max)s MB).")
            % {"name": label, "size": _mb(shared), "max": _mb(limits.max_shared_strings_bytes)},
            code="shared_strings_too_large",
        )
