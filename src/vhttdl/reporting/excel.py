"""Excel entry: a template per form × period × unit, and reading a filled one back (dry run first).

The visible sheet looks like the paper form, with Vietnamese labels; only the value cells are
unlocked (the sheet is protected, so rows cannot be moved). A hidden sheet `_vhttdl` holds the
form code and version, the unit, the period and the map from each value cell to its element and
option combo, so the upload never guesses. Bad files are refused with a reason: not an xlsx, too
big, corrupted, another form, version, unit or period. Every bad cell is listed (sheet, row,
column, reason); nothing is stored until the clean result is confirmed.
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
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_filename(submission: Submission) -> str:
    safe = submission.form.code.replace("/", "-").replace(".", "-")
    return f"{safe}_{submission.organisation.code}_{submission.period.code}.xlsx"


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
            for index, coc in enumerate(row.columns):
                target = sheet.cell(row=r, column=3 + index)
                stored = values.get((row.element.code, coc.code))
                if stored is not None:
                    target.value = (
                        stored.numeric_value
                        if stored.numeric_value is not None and row.element.is_numeric
                        else stored.value
                    )
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
class UploadReport:
    cells: list[CellInput] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[RuleResult] = field(default_factory=list)
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
        report.cells.append(CellInput(element_code, combo_code, "" if clean.is_empty else clean.value))
        numbers[(element_code, combo_code)] = clean.numeric
        stored = current.get((element_code, combo_code))
        if (stored.value if stored else "") != clean.value:
            report.changes += 1
    report.warnings = evaluate_rules(list(submission.form.validation_rules.all()), numbers)
    return report
