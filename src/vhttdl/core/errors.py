"""Business errors that services raise; the API and the views map them to one shape.

400 invalid input (Django's ValidationError or InvalidInput), 403 PermissionDenied,
404 Http404 / DoesNotExist, 409 Conflict (a stale version, a state that moved on).
Every error carries a machine `code` and a message in the request's language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class Conflict(DomainError):
    """The object changed since the caller read it, or is in a state that forbids the change."""

    status = 409
    code = "conflict"


def version_required() -> InvalidInput:
    from django.utils.translation import gettext as _

    return InvalidInput(
        _("Thiếu phiên bản (version) của dữ liệu bạn đã đọc; hãy tải lại rồi lưu, để không ghi đè thay đổi "
          "của người khác."),
        code="version_required",
        details={"field": "version"},
    )


def check_version(obj: Any, expected: int | None) -> None:
    """Optimistic concurrency: every write names the version it read.

    None (the caller sent no version) is refused with 400 `version_required`; an old version gets
    409 `stale_version` with the current one in the details.
    """
    from django.utils.translation import gettext as _

    if expected is None or isinstance(expected, bool):
        raise version_required()
    try:
        expected = int(expected)
    except (TypeError, ValueError):
        raise version_required() from None
    if expected != obj.version:
        raise Conflict(
            _("Dữ liệu đã được người khác thay đổi (phiên bản %(current)s, bạn sửa từ phiên bản "
              "%(expected)s). Hãy tải lại trước khi lưu.") % {"current": obj.version, "expected": expected},
            code="stale_version",
            details={"current_version": obj.version, "your_version": expected},
        )
