"""File names: the original one is only a label, checked before it is kept; stored names are generated."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

MAX_NAME_CHARS = 180
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|]")
# A second, executable-looking extension ("anh.php.jpg") is refused too.
_EXECUTABLE_PART = re.compile(
    r"\.(php\d?|phtml|phar|asp|aspx|jsp|exe|dll|com|scr|sh|bat|cmd|ps1|js|mjs|html?|svg)(\.|$)"
)


def safe_original_name(name: str, allowed_extensions: Iterable[str]) -> str:
    """The original file name if it is safe to show and keep as a label, else InvalidInput."""
    allowed = {e.lower() for e in allowed_extensions}
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    if not name:
        raise InvalidInput(_("Tệp tải lên không có tên."), code="unsafe_name")
    if len(name) > MAX_NAME_CHARS or _UNSAFE.search(name) or name.startswith(".") or ".." in name:
        raise InvalidInput(
            _(
                "Tên tệp “%(name)s” không an toàn: không dùng đường dẫn, ký tự điều khiển hay "
                'các ký tự / \\ : * ? " < > |.'
            )
            % {"name": _UNSAFE.sub("?", name[:60])},
            code="unsafe_name",
        )
    stem, dot, extension = name.rpartition(".")
    if not dot or f".{extension.lower()}" not in allowed:
        raise InvalidInput(
            _("Đuôi tệp không được chấp nhận. Cho phép: %(ext)s.") % {"ext": ", ".join(sorted(allowed))},
            code="bad_extension",
        )
    if _EXECUTABLE_PART.search(stem.lower() + "."):
        raise InvalidInput(_("Tên tệp “%(name)s” không an toàn.") % {"name": name[:60]}, code="unsafe_name")
    return name


def stored_name(prefix: str, extension: str, *, suffix: str = "") -> str:
    """`<prefix>/<yyyy>/<mm>/<random hex><suffix>.<extension>`: nothing of the original name."""
    now = timezone.now()
    return f"{prefix.strip('/')}/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}.{extension}"
