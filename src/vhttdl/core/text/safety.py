"""Text that is safe to take in and safe to hand out.

- Input: control characters (C0 but tab, line feed and carriage return; DEL; C1) are refused at
  every input, with a message naming the field: a NUL stored in a name breaks every export that
  later reads it. `control_character_error(value)` says whether and where; forms, API schemas and
  importers call it (or `reject_control_characters`).
- Output: `export_cell(value)` is what every CSV and Excel export writes for a text cell: a text a
  spreadsheet would run as a formula (= + - @, or a leading tab/CR) gets a leading apostrophe,
  which our importers strip again; characters Excel cannot hold are dropped, so an export never
  fails on stored text.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def control_character_position(value: str) -> int | None:
    """Index of the first control character in `value`, or None."""
    found = CONTROL_CHARACTERS.search(value)
    return found.start() if found else None


def reject_control_characters(value: Any, *, field: str = "") -> None:
    """Raise InvalidInput (400) when a text holds a control character."""
    if not isinstance(value, str):
        return
    position = control_character_position(value)
    if position is None:
        return
    from django.utils.translation import gettext as _

    from vhttdl.core.errors import InvalidInput

    raise InvalidInput(
        _("%(field)s chứa ký tự điều khiển không được phép (mã U+%(code)04X ở vị trí %(position)s).")
        % {"field": field or _("Nội dung"), "code": ord(value[position]), "position": position + 1},
        code="control_character",
        details={"field": field, "position": position + 1},
    )


def export_cell(value: Any) -> Any:
    """A cell value as CSV and Excel exports write it (see the module docstring)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return CONTROL_CHARACTERS.sub("", value)
