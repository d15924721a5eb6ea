"""Reading a checked workbook: openpyxl in read-only (streaming) mode, comments read on demand.

`open_workbook(checked)` must come after `check_upload` (which held the archive to its limits).
Read-only mode streams rows instead of building every cell object; it does not load comments,
so `sheet_comments(book, sheet)` reads the comment part of one sheet, the way openpyxl's own
reader does in normal mode.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.files.checks import CheckedFile


def open_workbook(checked: CheckedFile | bytes, *, data_only: bool = True):
    """An openpyxl read-only workbook (close it when done); InvalidInput if it cannot be read."""
    from openpyxl import load_workbook

    content = checked.content if isinstance(checked, CheckedFile) else checked
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for broken files
        raise InvalidInput(
            _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng."), code="corrupted"
        ) from exc


def sheet_comments(book: Any, sheet: Any) -> dict[str, Any]:
    """{cell coordinate: openpyxl Comment} for one sheet of a read-only workbook."""
    from openpyxl.comments.comment_sheet import CommentSheet
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.xml.constants import COMMENTS_NS
    from openpyxl.xml.functions import fromstring

    archive = book._archive
    rels_path = get_rels_path(sheet._worksheet_path)
    if rels_path not in archive.namelist():
        return {}
    try:
        rels = get_dependents(archive, rels_path)
        comments: dict[str, Any] = {}
        for rel in rels.find(COMMENTS_NS):
            comment_sheet = CommentSheet.from_tree(fromstring(archive.read(rel.target)))
            for ref, comment in comment_sheet.comments:
                comments[ref] = comment
        return comments
    except Exception as exc:  # a broken comment part, like a broken sheet, is a broken file
        raise InvalidInput(
            _("Không đọc được chú thích trong tệp Excel: tệp hỏng hoặc không đúng định dạng."), code="corrupted"
        ) from exc
