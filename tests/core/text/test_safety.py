from __future__ import annotations

import pytest

from vhttdl.core.errors import InvalidInput
from vhttdl.core.text.safety import control_character_position, export_cell, reject_control_characters


@pytest.mark.parametrize("text", ["Đền Hùng", "dòng 1\ndòng 2", "cột\tcột", "a\r\nb", ""])
def test_ordinary_text_passes(text):
    assert control_character_position(text) is None
    reject_control_characters(text, field="Tên")


@pytest.mark.parametrize(("text", "position"), [("Đền\x00Hùng", 3), ("\x1b[31m", 0), ("x\x7f", 1), ("y\x85", 1)])
def test_control_characters_are_refused_with_their_place(text, position):
    assert control_character_position(text) == position
    with pytest.raises(InvalidInput) as caught:
        reject_control_characters(text, field="Tên")
    assert caught.value.code == "control_character"
    assert caught.value.details == {"field": "Tên", "position": position + 1}
    assert "Tên" in caught.value.message


@pytest.mark.parametrize(
    ("value", "written"),
    [("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\t=1", "'\t=1"), ("Đền\x00Hùng", "ĐềnHùng"), ("bình thường", "bình thường"), (12, 12), (None, None)],
)
def test_export_cells_are_safe_to_open(value, written):
    assert export_cell(value) == written
