"""Excel entry: a template per form × period × unit, and reading a filled one back (dry run first).

The visible sheet looks like the paper form, with Vietnamese labels; only the value cells are
unlocked (the sheet is protected, so rows cannot be moved). A hidden sheet `_vhttdl` holds the
form code and version, the unit, the period and the map from each value cell to its element and
option combo, so the upload never guesses. Bad files are refused with a reason: not an xlsx, too
big, corrupted, another form, version, unit or period. Every bad cell is listed (sheet, row,
column, reason); nothing is stored until the clean result is confirmed.

Cell comments travel both ways: each value cell carries the comment saved with it (the web grid's
per-cell note) as an Excel comment, and a comment found on a value cell of an upload becomes that
cell's comment (a removed one clears it); the dry run lists every comment that would change. Each
indicator's label cell has a short note on its unit and value type.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.periods import period_label
from vhttdl.reporting.rules import RuleResult, evaluate_rules
from vhttdl.reporting.selectors import form_layout, submission_values
from vhttdl.reporting.services.entry import CellInput
from vhttdl.reporting.values import clean_value

if TYPE_CHECKING:
    from vhttdl.reporting.models import Submission

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
META_SHEET = "_vhttdl"
COMMENT_AUTHOR = "VHTTDL"
_THREADED_MARK = "[Threaded comment]"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_filename(submission: Submission) -> str:
    safe = submission.form.code.replace("/", "-").replace(".", "-")
    return f"{safe}_{submission.organisation.code}_{submission.period.code}.xlsx"


def _value_hint(element) -> str:
    from vhttdl.reporting.models import DataElement

    kinds = DataElement.ValueType
    return {
        kinds.INTEGER: _("Số nguyên, có thể viết 1.234."),
        kinds.NON_NEGATIVE_INTEGER: _("Số nguyên không âm, có thể viết 1.234."),
        kinds.NUMBER: _("Số; dấu phẩy là dấu thập phân: 1.234,5."),
        kinds.PERCENTAGE: _("Số từ 0 đến 100."),
        kinds.TEXT: _("Văn bản."),
        kinds.BOOLEAN: _("Ghi «có» hoặc «không»."),
    }.get(element.value_type, "")


def _header_note(element) -> str:
    lines = []
    if element.unit_of_measure:
        lines.append(_("Đơn vị tính: %(unit)s") % {"unit": element.unit_of_measure})
    lines.append(_("Kiểu giá trị: %(type)s") % {"type": element.get_value_type_display()})
    hint = _value_hint(element)
    if hint:
        lines.append(hint)
    return "\n".join(lines)


def _comment(text: str):
    from openpyxl.comments import Comment

    comment = Comment(text, COMMENT_AUTHOR)
    comment.width = 260
    comment.height = 20 * max(3, min(12, text.count("\n") + 1 + len(text) // 40))
    return comment


def comment_text(comment) -> str:
    """The note a person wrote in an Excel comment, without what Excel adds around it.

    Excel writes the author's name as a first line ("Nguyễn Văn A:"), and keeps a legacy copy of
    a threaded comment behind a fixed preamble ending in "Comment:" with the text indented.
    """
    if comment is None:
        return ""
    text = (comment.text or "").replace("\r\n", "\n")
    if text.lstrip().startswith(_THREADED_MARK) and "\nComment:\n" in text:
        body = text.split("\nComment:\n", 1)[1]
        text = "\n".join(line.strip() for line in body.splitlines())
    author = (getattr(comment, "author", "") or "").strip()
    if author and author != COMMENT_AUTHOR:
        first, _sep, rest = text.partition("\n")
        if first.strip() == f"{author}:":
            text = rest
    return text.strip()


def _lines(text: str | None) -> str:
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()


def build_template(submission: Submission) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    layout = form_layout(submission.form_version)
    values = submission_values(submission)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Báo cáo")[:31]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF0F3")
    input_fill = PatternFill("solid", fgColor="FFFBEA")
    sheet.append([f"{submission.form.code} · {submission.form.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Đơn vị báo cáo"), submission.organisation.name])
    sheet.append([_("Kỳ báo cáo"), f"{period_label(submission.period)} ({submission.period.code})"])
    sheet.append([_("Mẫu phiên bản"), submission.form_version.number])
    sheet.append([_("Hướng dẫn"), _("Chỉ nhập vào các ô màu vàng. Không đổi tên, thêm hay xóa dòng, cột hoặc trang.")])
    sheet.append(
        [
            _("Ghi chú"),
            _(
                "Ghi chú cho một ô: chèn chú thích (Comment/Note) vào ô đó; chú thích có sẵn là ghi chú đã lưu. "
                "Rê chuột vào tên chỉ tiêu để xem đơn vị tính và kiểu giá trị."
            ),
        ]
    )
    cell_map: list[tuple[str, str, str, str]] = []  # (coordinate, element, combo, label)
    width = max((len(r.columns) for s in layout.sections for r in s.rows), default=1)
    for section in layout.sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        previous = None
        for row in section.rows:
            names = [c.name for c in row.columns]
            if names != previous:
                sheet.append([_("Chỉ tiêu"), _("Đơn vị tính"), *names])
                for cell in sheet[sheet.max_row]:
                    cell.font, cell.fill = bold, head_fill
                previous = names
            sheet.append([row.title(), row.element.unit_of_measure])
            r = sheet.max_row
            sheet.cell(row=r, column=1).comment = _comment(_header_note(row.element))
            for index, coc in enumerate(row.columns):
                target = sheet.cell(row=r, column=3 + index)
                stored = values.get((row.element.code, coc.code))
                if stored is not None:
                    target.value = (
                        stored.numeric_value
                        if stored.numeric_value is not None and row.element.is_numeric
                        else stored.value
                    )
                    if stored.comment:
                        target.comment = _comment(stored.comment)
                target.protection = Protection(locked=False)
                target.fill = input_fill
                target.alignment = Alignment(horizontal="right")
                cell_map.append((target.coordinate, row.element.code, coc.code, f"{row.title()} – {coc.name}"))
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 14
    for index in range(width):
        sheet.column_dimensions[get_column_letter(3 + index)].width = 18
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.objects = False  # comments are drawing objects: people may add and edit them
    meta = book.create_sheet(META_SHEET)
    meta.append(["form", submission.form.code])
    meta.append(["version", submission.form_version.number])
    meta.append(["organisation", submission.organisation.code])
    meta.append(["period", submission.period.code])
    meta.append(["submission", submission.pk])
    meta.append(["cell", "element", "combo", "label"])
    for item in cell_map:
        meta.append(list(item))
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class CellProblem:
    sheet: str
    row: int
    column: str
    label: str
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "label": self.label, "reason": self.reason}


@dataclass
class CommentChange:
    """A cell whose comment the upload would set, change or clear."""

    row: int
    column: str
    label: str
    old: str
    new: str


@dataclass
class UploadReport:
    cells: list[CellInput] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[RuleResult] = field(default_factory=list)
    comments: list[CommentChange] = field(default_factory=list)
    changes: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.problems


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code)


def read_upload(submission: Submission, upload: Any) -> UploadReport:
    """Check a filled template against `submission`; never writes. InvalidInput for a bad file."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import coordinate_from_string

    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if not name.lower().endswith(".xlsx"):
        raise _refuse(_("Chỉ nhận tệp Excel .xlsx (tệp «%(name)s» không phải .xlsx).") % {"name": name}, "not_xlsx")
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("Tệp quá lớn (%(size)s MB); giới hạn %(max)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "max": MAX_UPLOAD_BYTES // 1024 // 1024},
            "too_big",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(_("Tệp quá lớn; giới hạn %(max)s MB.") % {"max": MAX_UPLOAD_BYTES // 1024 // 1024}, "too_big")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(_("Tệp không phải bảng tính Excel hợp lệ hoặc đã bị hỏng."), "corrupted")
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for broken files
        raise _refuse(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng."), "corrupted") from None
    if META_SHEET not in book.sheetnames:
        raise _refuse(
            _("Tệp không phải mẫu tải từ hệ thống (thiếu trang mã). Hãy tải mẫu của báo cáo này."), "not_a_template"
        )
    meta = book[META_SHEET]
    head = {str(r[0]): r[1] for r in meta.iter_rows(min_row=1, max_row=5, values_only=True) if r and r[0]}
    expected = {
        "form": submission.form.code,
        "version": submission.form_version.number,
        "organisation": submission.organisation.code,
        "period": submission.period.code,
    }
    if str(head.get("form")) != expected["form"]:
        raise _refuse(
            _("Tệp là mẫu của biểu %(got)s, không phải biểu %(want)s.")
            % {"got": head.get("form"), "want": expected["form"]},
            "wrong_form",
        )
    if str(head.get("version")) != str(expected["version"]):
        raise _refuse(
            _("Tệp là mẫu phiên bản %(got)s; báo cáo này dùng phiên bản %(want)s. Hãy tải mẫu mới.")
            % {"got": head.get("version"), "want": expected["version"]},
            "wrong_version",
        )
    if str(head.get("organisation")) != expected["organisation"]:
        raise _refuse(
            _("Tệp là báo cáo của đơn vị %(got)s, không phải %(want)s.")
            % {"got": head.get("organisation"), "want": expected["organisation"]},
            "wrong_unit",
        )
    if str(head.get("period")) != expected["period"]:
        raise _refuse(
            _("Tệp là báo cáo kỳ %(got)s, không phải kỳ %(want)s.")
            % {"got": head.get("period"), "want": expected["period"]},
            "wrong_period",
        )
    sheet = book.worksheets[0]
    layout = form_layout(submission.form_version)
    allowed = layout.cell_keys()
    current = submission_values(submission)
    report = UploadReport()
    numbers: dict[tuple[str, str], float | None] = {}
    for row in meta.iter_rows(min_row=7, values_only=True):
        if not row or not row[0]:
            continue
        coordinate, element_code, combo_code, label = (str(x) if x is not None else "" for x in row[:4])
        column, line = coordinate_from_string(coordinate)
        if (element_code, combo_code) not in allowed:
            report.problems.append(
                CellProblem(sheet.title, line, column, label, _("Ô không thuộc phiên bản biểu hiện hành."))
            )
            continue
        raw = sheet[coordinate].value
        try:
            clean = clean_value(layout.elements[element_code], raw)
        except InvalidInput as exc:
            report.problems.append(CellProblem(sheet.title, line, column, label, exc.message))
            continue
        stored = current.get((element_code, combo_code))
        comment: str | None = comment_text(sheet[coordinate].comment)
        old_comment = stored.comment if stored else ""
        if _lines(old_comment) == _lines(comment):
            comment = None  # unchanged (line endings aside): leave the stored one as it is
        else:
            report.comments.append(CommentChange(line, column, label, old_comment, comment))
        report.cells.append(CellInput(element_code, combo_code, "" if clean.is_empty else clean.value, comment))
        numbers[(element_code, combo_code)] = clean.numeric
        if (stored.value if stored else "") != clean.value:
            report.changes += 1
    report.warnings = evaluate_rules(list(submission.form.validation_rules.all()), numbers)
    return report
