"""Excel entry: a template per form × period × unit, and reading a filled one back (dry run first).

The visible sheet looks like the paper form, with Vietnamese labels; only the value cells are
unlocked (the sheet is protected, so rows cannot be moved). A hidden sheet `_vhttdl` holds the
form code and version, the unit, the period, the report's version the template was made from, and
the map from each value cell to its element and option combo, so the upload never guesses.

An upload goes through core.files (size, type by content, the workbook's unpacked size and shared
strings within limits before it is parsed) and is read in openpyxl's streaming mode. Bad files are
refused with a reason: not an xlsx, too big, corrupted, not a template, a tampered `_vhttdl` sheet,
another form, version, unit or period, or a template made from an older state of the report than
the one stored now (409: someone saved since; download a new template). Every bad cell is listed
(sheet, row, column, reason: a bad value, a control character, a comment over
`MAX_COMMENT_CHARS`), and every cell that would change with its old and new value. The checked
upload is kept as a stored batch (core.imports, `ExcelImporter`); nothing is written until it is
confirmed, and the confirmation is refused (409) if the report was saved since the check.

Cell comments travel both ways: each value cell carries the comment saved with it (the web grid's
per-cell note) as an Excel comment, and a comment found on a value cell of an upload becomes that
cell's comment (a removed one clears it); the dry run lists every comment that would change. Each
indicator's label cell has a short note on its unit and value type.
"""

from __future__ import annotations

import io
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.core.errors import Conflict, DomainError, InvalidInput
from vhttdl.core.files.checks import CheckedFile, check_upload
from vhttdl.core.files.workbook import open_workbook, sheet_comments
from vhttdl.core.imports import selectors as import_selectors
from vhttdl.core.imports import services as import_services
from vhttdl.core.imports.importers import CheckOutcome, CommitOutcome, Importer
from vhttdl.core.imports.models import ImportBatch
from vhttdl.core.text.safety import CONTROL_CHARACTERS, control_character_position, export_cell
from vhttdl.reporting.periods import period_label
from vhttdl.reporting.rules import RuleResult, evaluate_rules
from vhttdl.reporting.selectors import form_layout, submission_values
from vhttdl.reporting.services.entry import MAX_COMMENT_CHARS, CellInput
from vhttdl.reporting.values import clean_value

if TYPE_CHECKING:
    from vhttdl.reporting.models import Submission

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MB
IMPORTER = "reporting.excel"
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
    sheet.append([export_cell(f"{submission.form.code} · {submission.form.title}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Đơn vị báo cáo"), export_cell(submission.organisation.name)])
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
        sheet.append([export_cell(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        previous = None
        for row in section.rows:
            names = [c.name for c in row.columns]
            if names != previous:
                sheet.append([_("Chỉ tiêu"), _("Đơn vị tính"), *(export_cell(n) for n in names)])
                for cell in sheet[sheet.max_row]:
                    cell.font, cell.fill = bold, head_fill
                previous = names
            sheet.append([export_cell(row.title()), export_cell(row.element.unit_of_measure)])
            r = sheet.max_row
            sheet.cell(row=r, column=1).comment = _comment(_header_note(row.element))
            for index, coc in enumerate(row.columns):
                target = sheet.cell(row=r, column=3 + index)
                stored = values.get((row.element.code, coc.code))
                if stored is not None:
                    target.value = (
                        stored.numeric_value
                        if stored.numeric_value is not None and row.element.is_numeric
                        else export_cell(stored.value)
                    )
                    if stored.comment:
                        target.comment = _comment(CONTROL_CHARACTERS.sub("", stored.comment))
                target.protection = Protection(locked=False)
                target.fill = input_fill
                target.alignment = Alignment(horizontal="right")
                cell_map.append((target.coordinate, row.element.code, coc.code,
                                 export_cell(f"{row.title()} – {coc.name}")))
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
    meta.append(["report_version", submission.version])  # checked at upload and again at confirmation
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
class ValueChange:
    """A cell whose value the upload would set, change or clear."""

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
    changed: list[ValueChange] = field(default_factory=list)
    version: int = 0  # the report's version the template was made from

    @property
    def changes(self) -> int:
        return len(self.changed)

    @property
    def is_clean(self) -> bool:
        return not self.problems

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """What the stored batch keeps (the cells to write are read again from the file at commit)."""
        return {
            "cells": len(self.cells),
            "changes": self.changes,
            "version": self.version,
            "is_clean": self.is_clean,
            "problems": [p.as_dict() for p in self.problems],
            "changed": [asdict(c) for c in self.changed],
            "comments": [asdict(c) for c in self.comments],
            "warnings": [{"message": w.message(language)} for w in self.warnings],
        }


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code)


_COORDINATE = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
MAX_COLUMN, MAX_ROW = 16_384, 1_048_576  # Excel's own sheet size


def _coordinate(text: str) -> tuple[str, int, int] | None:
    """(column letters, row, column index) of a plain cell reference such as "C12", else None."""
    from openpyxl.utils.cell import column_index_from_string

    found = _COORDINATE.match(text or "")
    if not found:
        return None
    column, row = found.group(1), int(found.group(2))
    index = column_index_from_string(column)
    if index > MAX_COLUMN or row > MAX_ROW:
        return None
    return column, row, index


def _tampered(detail: str) -> InvalidInput:
    return InvalidInput(
        _("Trang mã «%(sheet)s» của tệp đã bị sửa (%(detail)s). Hãy tải mẫu mới của báo cáo này.")
        % {"sheet": META_SHEET, "detail": detail},
        code="tampered_template",
    )


@dataclass
class _Template:
    head: dict[str, Any]
    cells: list[tuple[str, int, int, str, str, str]]  # (column, row, column index, element, combo, label)


def _read_meta(book, allowed_count: int) -> _Template:
    """The hidden sheet: head rows (key, value) until the "cell" header, then one row per value cell."""
    meta = book[META_SHEET]
    head: dict[str, Any] = {}
    cells: list[tuple[str, int, int, str, str, str]] = []
    seen: set[str] = set()
    in_cells = False
    for row in meta.iter_rows(values_only=True):
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        key = str(row[0]).strip()
        if not in_cells:
            if key == "cell":
                in_cells = True
            elif len(head) < 20:
                head[key] = row[1] if len(row) > 1 else None
            continue
        if len(cells) >= allowed_count + 50:
            raise _tampered(_("quá nhiều ô"))
        element, combo, label = (str(x) if x is not None else "" for x in (list(row[1:4]) + [None] * 3)[:3])
        place = _coordinate(key)
        if place is None:
            raise _tampered(_("địa chỉ ô «%(ref)s» không hợp lệ") % {"ref": key[:20]})
        if key in seen:
            raise _tampered(_("ô %(ref)s xuất hiện hai lần") % {"ref": key})
        seen.add(key)
        cells.append((place[0], place[1], place[2], element[:100], combo[:100], label[:300]))
    if not in_cells:
        raise _tampered(_("thiếu bảng ô"))
    return _Template(head, cells)


def _check_head(submission: Submission, head: dict[str, Any]) -> int:
    """Refuse a template of another form, version, unit or period, or made from an older report version."""
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
    try:
        made_from = int(head.get("report_version"))
    except (TypeError, ValueError):
        raise _refuse(
            _("Tệp là mẫu cũ không ghi phiên bản số liệu của báo cáo. Hãy tải mẫu mới rồi điền lại."),
            "template_without_version",
        ) from None
    if made_from != submission.version:
        raise Conflict(
            _(
                "Tệp được tải về khi báo cáo ở phiên bản %(got)s; từ đó báo cáo đã được lưu (phiên bản "
                "%(now)s). Không có gì bị ghi đè. Hãy tải mẫu mới (có số liệu hiện tại) rồi điền lại."
            )
            % {"got": made_from, "now": submission.version},
            code="stale_template",
            details={"template_version": made_from, "current_version": submission.version},
        )
    return made_from


def _sheet_values(sheet, wanted: set[tuple[int, int]], last_row: int) -> dict[tuple[int, int], Any]:
    """{(row, column): value} of the wanted cells, in one streaming pass over the sheet."""
    values: dict[tuple[int, int], Any] = {}
    for row in sheet.iter_rows(min_row=1, max_row=last_row):
        for cell in row:
            key = (getattr(cell, "row", None), getattr(cell, "column", None))
            if key in wanted:
                values[key] = cell.value
    return values


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def _unguarded(value: Any) -> Any:
    """A text cell as the person typed it: the template's guard against formulas ('=...) taken off."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def check_file(upload: Any, name: str | None = None) -> CheckedFile:
    """The one upload check (core.files) for a filled template; InvalidInput for a bad file."""
    name = name if name is not None else (getattr(upload, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise _refuse(_("Chỉ nhận tệp Excel .xlsx (tệp «%(name)s» không phải .xlsx).") % {"name": name}, "not_xlsx")
    try:
        return check_upload(upload, name=name, accept={"xlsx"}, max_bytes=MAX_UPLOAD_BYTES,
                            archive_limits=archive_limits())
    except InvalidInput as exc:
        if exc.code in ("wrong_type", "corrupted"):
            raise _refuse(_("Tệp không phải bảng tính Excel hợp lệ hoặc đã bị hỏng."), "corrupted") from exc
        raise


def archive_limits():
    """A report template is small: far lower limits than the platform's defaults."""
    from vhttdl.core.files.archives import ArchiveLimits

    return ArchiveLimits.from_settings(
        max_entries=200, max_unpacked_bytes=min(50 * MB, ArchiveLimits.from_settings().max_unpacked_bytes),
        max_shared_strings_bytes=10 * MB,
    )


def read_upload(submission: Submission, upload: Any) -> UploadReport:
    """Check a filled template against `submission`; never writes. InvalidInput (or Conflict) for a bad file."""
    checked = upload if isinstance(upload, CheckedFile) else check_file(upload)
    book = open_workbook(checked)
    try:
        return _read_book(submission, book)
    except DomainError:
        raise
    except Exception as exc:  # a part of the workbook that only breaks while it is streamed
        raise _refuse(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng."), "corrupted") from exc
    finally:
        book.close()


def _read_book(submission: Submission, book) -> UploadReport:
    if META_SHEET not in book.sheetnames:
        raise _refuse(
            _("Tệp không phải mẫu tải từ hệ thống (thiếu trang mã). Hãy tải mẫu của báo cáo này."), "not_a_template"
        )
    layout = form_layout(submission.form_version)
    allowed = layout.cell_keys()
    template = _read_meta(book, len(allowed))
    report = UploadReport(version=_check_head(submission, template.head))
    sheet = book.worksheets[0]
    if sheet.title == META_SHEET:
        raise _tampered(_("thiếu trang số liệu"))
    wanted = {(row, index) for _c, row, index, *_rest in template.cells}
    raw_values = _sheet_values(sheet, wanted, max((r for r, _i in wanted), default=1))
    comments = sheet_comments(book, sheet)
    current = submission_values(submission)
    numbers: dict[tuple[str, str], float | None] = {}
    for column, line, index, element_code, combo_code, label in template.cells:
        coordinate = f"{column}{line}"

        def problem(reason: str, line=line, column=column, label=label) -> None:
            report.problems.append(CellProblem(sheet.title, line, column, label, reason))

        if (element_code, combo_code) not in allowed:
            problem(_("Ô không thuộc phiên bản biểu hiện hành."))
            continue
        raw = _unguarded(raw_values.get((line, index)))
        comment: str | None = comment_text(comments.get(coordinate))
        bad_text = next((t for t in (_as_text(raw), comment) if control_character_position(t) is not None), None)
        if bad_text is not None:
            position = control_character_position(bad_text)
            problem(
                _("Chứa ký tự điều khiển không được phép (mã U+%(code)04X ở vị trí %(position)s).")
                % {"code": ord(bad_text[position]), "position": position + 1}
            )
            continue
        if len(comment) > MAX_COMMENT_CHARS:
            problem(
                _("Ghi chú dài %(n)s ký tự, quá giới hạn %(max)s ký tự.")
                % {"n": len(comment), "max": MAX_COMMENT_CHARS}
            )
            continue
        try:
            clean = clean_value(layout.elements[element_code], raw)
        except InvalidInput as exc:
            problem(exc.message)
            continue
        stored = current.get((element_code, combo_code))
        old_comment = stored.comment if stored else ""
        if _lines(old_comment) == _lines(comment):
            comment = None  # unchanged (line endings aside): leave the stored one as it is
        else:
            report.comments.append(CommentChange(line, column, label, old_comment, comment))
        report.cells.append(CellInput(element_code, combo_code, "" if clean.is_empty else clean.value, comment))
        numbers[(element_code, combo_code)] = clean.numeric
        old_value = stored.value if stored else ""
        if old_value != clean.value:
            report.changed.append(ValueChange(line, column, label, old_value, clean.value))
    report.warnings = evaluate_rules(list(submission.form.validation_rules.all()), numbers)
    return report


# --- the stored batch (core.imports) -----------------------------------------------------------


class ExcelImporter(Importer):
    """A filled template of one report: checked into a batch, written on confirmation.

    Stale batches are refused: the check compared the file with the report's values at one version,
    and a confirmation after someone saved would overwrite what they saved.
    """

    name = IMPORTER
    accept = frozenset({"xlsx"})
    on_stale = "refuse"

    def max_bytes(self) -> int:
        return MAX_UPLOAD_BYTES

    def archive_limits(self):
        return archive_limits()

    def check_file(self, upload: Any, *, name: str | None = None) -> CheckedFile:
        return check_file(upload, name)

    def basis(self, *, actor: Any, target: Submission, batch: Any) -> dict[str, Any]:
        return {"version": target.version}

    def stale_message(self, *, batch: Any, current: dict[str, Any]) -> str:
        return _(
            "Báo cáo đã được lưu sau khi bạn kiểm tra tệp (phiên bản %(now)s, tệp được kiểm tra với phiên bản "
            "%(checked)s). Không có gì bị ghi đè; hãy tải mẫu mới rồi điền lại."
        ) % {"now": current.get("version"), "checked": batch.basis.get("version")}

    def check(self, *, actor: Any, file: CheckedFile, target: Submission) -> CheckOutcome:
        report = read_upload(target, file)
        return CheckOutcome(
            report=report.as_dict(get_language()),
            clean=report.is_clean,
            rows_total=len(report.cells) + len(report.problems),
            rows_bad=len(report.problems),
            basis={"version": report.version},
        )

    def commit(self, *, actor: Any, file: CheckedFile, target: Submission, batch: Any, stale: bool) -> CommitOutcome:
        from vhttdl.reporting.services import submission_values_save

        report = read_upload(target, file)
        if not report.is_clean:
            return CommitOutcome(report=report.as_dict(get_language()), committed=False,
                                 rows_total=len(report.cells) + len(report.problems), rows_bad=len(report.problems))
        result = submission_values_save(
            actor=actor, submission=target, cells=report.cells, version=batch.basis["version"], strict=True
        )
        return CommitOutcome(
            report={**report.as_dict(get_language()), "saved": result.saved, "deleted": result.deleted},
            committed=True,
            rows_total=len(report.cells),
        )


def upload_check(*, actor: Any, submission: Submission, upload: Any) -> ImportBatch:
    """Dry run of a filled template into a stored batch; InvalidInput/Conflict for a file refused outright."""
    return import_services.import_check(
        actor=actor, importer=ExcelImporter(), upload=upload, target=submission, organisation=submission.organisation
    )


def upload_commit(*, actor: Any, submission: Submission, batch: ImportBatch) -> ImportBatch:
    """Write a checked batch; 409 if the report was saved since the check, or the batch was already written."""
    return import_services.import_commit(actor=actor, importer=ExcelImporter(), batch=batch, target=submission)


def batch_for_actor(actor: Any, pk: Any) -> ImportBatch:
    return import_selectors.get_batch_for_actor(actor, pk, IMPORTER)
