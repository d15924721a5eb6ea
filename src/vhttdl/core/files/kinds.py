"""File kinds known by their content: the first bytes (magic numbers), never the name.

`sniff(content)` names the kind of a file from its bytes: an image (JPEG, PNG, WebP, GIF), a PDF, an
Excel workbook (a ZIP holding `xl/workbook.xml`), another ZIP, or plain text (CSV). Executables and
other known binary formats are named too, so a message can say what a file really is (a program
renamed `anh.png` is "not an image", whatever its name says).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extension: str  # the one stored names get
    extensions: frozenset[str]  # accepted in the original name (with the dot)


KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        FileKind("jpeg", "JPEG", "image/jpeg", "jpg", frozenset({".jpg", ".jpeg"})),
        FileKind("png", "PNG", "image/png", "png", frozenset({".png"})),
        FileKind("webp", "WebP", "image/webp", "webp", frozenset({".webp"})),
        FileKind("gif", "GIF", "image/gif", "gif", frozenset({".gif"})),
        FileKind("pdf", "PDF", "application/pdf", "pdf", frozenset({".pdf"})),
        FileKind(
            "xlsx",
            "Excel (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            frozenset({".xlsx"}),
        ),
        FileKind("zip", "ZIP", "application/zip", "zip", frozenset({".zip"})),
        FileKind("csv", "CSV", "text/csv", "csv", frozenset({".csv"})),
    )
}
IMAGE_KINDS = frozenset({"jpeg", "png", "webp", "gif"})

# Known formats we never accept, named so that the refusal can say what the file is.
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows executable (EXE/DLL)"),
    (b"\x7fELF", "ELF executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O/Java executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 (.xls/.doc)"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


_BINARY_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))


def _is_text(head: bytes) -> bool:
    """No byte that text never holds (NUL and most C0 controls), in whatever encoding: the reader
    of the text then says when it is not UTF-8."""
    return not any(byte in _BINARY_BYTES for byte in head)


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "broken zip"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def sniff(content: bytes) -> str:
    """The kind code of `content` (a key of KINDS), or a short description of what else it is."""
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(content)
    sample = content[:8192]
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    if _is_text(sample):  # before the signatures below: a CSV may well start with "BM" or "MZ"
        return "csv"
    for signature, name in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return name
    return "unknown"
