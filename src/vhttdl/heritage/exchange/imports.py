"""Import of sites from CSV or Excel: every row checked first, committed all together or not at all.

`sites_import(actor=..., file=..., filename=..., dry_run=True) -> ImportReport` is the entry point
(the back office, the API and `bench/heritage.py` call it):

- `file`: a file object (an upload, `open(path, "rb")`, `io.BytesIO`) or bytes, checked by
  core.files like every upload (size, name, type *by content*: CSV text or an Excel workbook,
  the workbook's unpacked size and shared strings within limits before it is parsed; it is then
  read in openpyxl's streaming mode).
- Every row is checked: required cells, text lengths, control characters (refused per cell),
  rank and type words, province code (a current province),
  commune code (a current commune *of that province*), coordinates inside Vietnam, decision date,
  owner unit in the actor's scope, a code repeated in the file, and a code already used in the
  database. A code that exists and that the actor may edit is an **update** of that site; a code
  owned by a unit outside the actor's scope is a **conflict** (error).
- With `dry_run=False` the rows are written only when no row has an error, in one transaction
  (bulk inserts and updates, one revision per site, one audit entry for the whole import, search
  documents in bulk). A file with any bad row changes nothing: the report lists each row and cell.

`site_import_check` / `site_import_commit` are the back office's two steps on core.imports
(`SitesImporter`): the file is kept in a stored batch between the dry run and the confirmation,
and checked again inside the commit's transaction (the data may have changed meanwhile).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import can
from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import InvalidInput
from vhttdl.core.files.checks import CheckedFile, check_upload
from vhttdl.core.files.kinds import sniff
from vhttdl.core.files.workbook import open_workbook
from vhttdl.core.imports import selectors as import_selectors
from vhttdl.core.imports import services as import_services
from vhttdl.core.imports.importers import CheckOutcome, CommitOutcome, Importer
from vhttdl.core.imports.models import ImportBatch
from vhttdl.core.revisions.models import Revision
from vhttdl.core.revisions.services import RevisionInput, revisions_record_bulk
from vhttdl.core.text.safety import control_character_position
from vhttdl.core.units.models import Area, Organisation
from vhttdl.heritage import permissions
from vhttdl.heritage.actions import HeritageAction
from vhttdl.heritage.exchange.columns import (
    COLUMN_NAMES,
    RANK_WORDS,
    REQUIRED,
    SITE_COLUMNS,
    STATUS_WORDS,
    TYPE_WORDS,
    UNESCO_WORDS,
    header_to_column,
    parse_choice,
    parse_yes_no,
)
from vhttdl.heritage.geo import check_point, parse_coordinate
from vhttdl.heritage.models import (
    RankingDecision,
    RecordStatus,
    Site,
    SiteTranslation,
    UnescoStatus,
)

MB = 1024 * 1024
MAX_ROWS = 100_000
REPORT_OK_ROWS = 300  # rows without problems kept in a stored report (all bad rows are kept)
BATCH = 500
TEXT_LIMITS = {
    "code": 40,
    "name": 255,
    "address": 255,
    "other_names": 500,
    "decision_number": 60,
    "decision_issuer": 200,
    "name_en": 255,
    "description": 20_000,
    "history": 20_000,
    "directions": 5_000,
    "description_en": 20_000,
}
IMPORTER = "heritage.sites"
ACCEPT = frozenset({"csv", "xlsx"})


def max_import_bytes() -> int:
    return int(getattr(settings, "HERITAGE_MAX_IMPORT_BYTES", 20 * MB))


@dataclass
class CellIssue:
    column: str
    message: str


@dataclass
class RowResult:
    row: int  # the spreadsheet's row number (the header is row 1)
    code: str = ""
    name: str = ""
    action: str = ""  # create | update | error
    errors: list[CellIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellIssue(column, str(message)))
        self.action = "error"


@dataclass
class ImportReport:
    filename: str = ""
    dry_run: bool = True
    committed: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def error_count(self) -> int:
        return len(self.bad_rows)

    @property
    def is_clean(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows) and self.total > 0

    @property
    def to_create(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def to_update(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")

    def to_dict(self, *, ok_rows: int | None = REPORT_OK_ROWS) -> dict[str, Any]:
        data = asdict(self)
        if ok_rows is not None:
            kept, ok_seen = [], 0
            for row in self.rows:
                if row.errors or row.warnings:
                    kept.append(asdict(row))
                elif ok_seen < ok_rows:
                    kept.append(asdict(row))
                    ok_seen += 1
            data["rows"] = kept
        data.update(
            error_count=self.error_count,
            to_create=self.to_create,
            to_update=self.to_update,
            is_clean=self.is_clean,
        )
        return data


# --- reading -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]  # the export's guard against formulas
    return text


def _read_csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("Tệp CSV phải được lưu với bảng mã UTF-8."), code="bad_encoding") from exc
    sample = text[:4096]
    delimiter = max(",;\t", key=sample.count) if sample else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:  # a field over csv.field_size_limit() (131,072 characters), a stray quote
        raise InvalidInput(
            _("Dòng %(line)s của tệp CSV không đọc được: một ô dài quá %(limit)s ký tự hoặc sai dấu ngoặc kép.")
            % {"line": reader.line_num, "limit": f"{csv.field_size_limit():,}".replace(",", ".")},
            code="bad_csv",
            details={"line": reader.line_num},
        ) from exc
    return rows


def _read_xlsx(checked: CheckedFile) -> list[list[Any]]:
    workbook = open_workbook(checked)  # streaming: the archive's limits were checked by check_upload
    try:
        if not workbook.worksheets:
            raise InvalidInput(_("Tệp Excel không có trang tính nào."), code="bad_file")
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except InvalidInput:
        raise
    except Exception as exc:  # a broken sheet part surfaces while streaming
        raise InvalidInput(
            _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không đúng định dạng."), code="bad_file"
        ) from exc
    finally:
        workbook.close()


def read_rows(checked: CheckedFile) -> list[list[Any]]:
    """The rows of a checked CSV or Excel file (its kind comes from its content, not its name)."""
    if checked.kind.code == "xlsx":
        return _read_xlsx(checked)
    return _read_csv(checked.content)


def check_file(file: Any, filename: str | None = None) -> CheckedFile:
    """The one upload check (core.files) for an import file; InvalidInput for a bad file."""
    if isinstance(file, (bytes, bytearray)) and not filename:
        filename = "import.xlsx" if sniff(bytes(file)) == "xlsx" else "import.csv"
    name = filename if filename is not None else getattr(file, "name", "")
    name = str(name or "").rsplit("/", 1)[-1]
    return check_upload(file, name=name, accept=ACCEPT, max_bytes=max_import_bytes())


# --- checking ----------------------------------------------------------------------------------


@dataclass
class _Plan:
    result: RowResult
    values: dict[str, Any]
    existing: Site | None = None
    name_en: str = ""
    description_en: str = ""
    decision: tuple[str, date | None, str] | None = None
    publish: bool = False
    present: set[str] = field(default_factory=set)  # model fields whose column is in the file


# model field → the column it comes from (an update changes only fields whose column is present)
_SOURCE = {
    "site_type": "type",
    "province": "province_code",
    "commune": "commune_code",
    "organisation": "organisation_code",
}


def _parse_date(text: str) -> date:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class _Context:
    """Everything looked up once per import: areas by code, existing sites, owners, grants."""

    def __init__(self, actor: Any, codes: list[str]):
        self.actor = actor
        current = Area.objects.filter(valid_to__isnull=True)
        self.provinces = {a.code: a for a in current.filter(level=Area.Level.PROVINCE)}
        self.communes = {
            a.code: a
            for a in current.filter(level=Area.Level.COMMUNE).only(
                "id", "code", "name", "parent_id", "level", "valid_to"
            )
        }
        self.existing: dict[str, Site] = {}
        unique_codes = list(dict.fromkeys(c for c in codes if c))
        for start in range(0, len(unique_codes), BATCH):
            chunk = unique_codes[start : start + BATCH]
            for site in Site.objects.filter(code__in=chunk).select_related("organisation"):
                self.existing[site.code] = site
        self._owners: dict[str, Organisation | None] = {}
        self._orgs: dict[str, Organisation | None] = {}

    def default_owner(self, province: Area) -> Organisation | None:
        if province.code not in self._owners:
            self._owners[province.code] = permissions.default_owner(self.actor, province)
        return self._owners[province.code]

    def organisation(self, code: str) -> Organisation | None:
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.current().filter(code=code).first()
        return self._orgs[code]


def _check_row(ctx: _Context, row_number: int, cells: dict[str, str], seen: dict[str, int]) -> _Plan:
    result = RowResult(row=row_number, code=cells.get("code", "")[:40], name=cells.get("name", "")[:120])
    values: dict[str, Any] = {}
    plan = _Plan(result=result, values=values)

    for column in REQUIRED:
        if not cells.get(column):
            result.error(column, _("Thiếu giá trị bắt buộc."))
    for column, limit in TEXT_LIMITS.items():
        length = len(cells.get(column, ""))
        if length > limit:
            result.error(column, _("Dài %(length)s ký tự, quá giới hạn %(n)s ký tự.") % {"length": length, "n": limit})
    for column, text in cells.items():
        position = control_character_position(text)
        if position is not None:
            result.error(
                column,
                _("Chứa ký tự điều khiển không được phép (mã U+%(code)04X ở vị trí %(position)s).")
                % {"code": ord(text[position]), "position": position + 1},
            )
            cells[column] = ""  # checked no further, never stored

    code = cells.get("code", "")
    if code:
        if any(ch.isspace() or ch in "/\\?#%<>\"'" for ch in code):
            result.error("code", _("Mã không được chứa khoảng trắng hay các ký tự / \\ ? # % < > \" '."))
        if code in seen:
            result.error(
                "code", _("Mã %(code)s trùng với dòng %(row)s của tệp.") % {"code": code, "row": seen[code]}
            )
        else:
            seen[code] = row_number
    values["code"] = code
    values["name"] = cells.get("name", "")

    rank_text = cells.get("rank", "")
    if rank_text:
        rank = parse_choice(RANK_WORDS, rank_text)
        if rank is None:
            result.error(
                "rank",
                _("Cấp xếp hạng “%(v)s” không hợp lệ (quốc gia đặc biệt, quốc gia, cấp tỉnh, kiểm kê).")
                % {"v": rank_text[:40]},
            )
        values["rank"] = rank
    type_text = cells.get("type", "")
    if type_text:
        site_type = parse_choice(TYPE_WORDS, type_text)
        if site_type is None:
            result.error(
                "type",
                _(
                    "Loại hình “%(v)s” không hợp lệ (lịch sử, kiến trúc nghệ thuật, khảo cổ, "
                    "danh lam thắng cảnh)."
                )
                % {"v": type_text[:40]},
            )
        values["site_type"] = site_type
    unesco = parse_choice(UNESCO_WORDS, cells.get("unesco_status", ""))
    if unesco is None:
        result.error("unesco_status", _("Giá trị UNESCO không hợp lệ (để trống, di sản thế giới, dự kiến)."))
    values["unesco_status"] = unesco or UnescoStatus.NONE
    status = parse_choice(STATUS_WORDS, cells.get("status", ""))
    if status is None:
        result.error("status", _("Trạng thái không hợp lệ (để trống hoặc “nháp”, “công bố”)."))
    plan.publish = status == RecordStatus.PUBLISHED

    province = None
    province_code = cells.get("province_code", "")
    if province_code:
        province = ctx.provinces.get(province_code) or ctx.provinces.get(province_code.zfill(2))
        if province is None:
            result.error(
                "province_code",
                _("Không có tỉnh, thành phố hiện hành mã %(code)s.") % {"code": province_code[:10]},
            )
    values["province"] = province
    commune = None
    commune_code = cells.get("commune_code", "")
    if commune_code:
        commune = ctx.communes.get(commune_code) or ctx.communes.get(commune_code.zfill(5))
        if commune is None:
            result.error(
                "commune_code", _("Không có xã, phường hiện hành mã %(code)s.") % {"code": commune_code[:10]}
            )
        elif province is not None and commune.parent_id != province.pk:
            result.error(
                "commune_code",
                _("Xã %(commune)s (%(code)s) không thuộc %(province)s.")
                % {"commune": commune.name, "code": commune.code, "province": province.name},
            )
    values["commune"] = commune

    try:
        lat = parse_coordinate(cells.get("latitude"))
        lon = parse_coordinate(cells.get("longitude"))
        check_point(lat, lon)
        values["latitude"], values["longitude"] = lat, lon
        if lat is None:
            result.warnings.append(_("Không có tọa độ: di tích sẽ không hiện trên bản đồ."))
    except InvalidInput as exc:
        result.error("latitude", exc.message)

    approximate = parse_yes_no(cells.get("approximate", ""))
    if approximate is None:
        result.error("approximate", _("Giá trị “tọa độ gần đúng” phải là có/không (1/0)."))
    values["location_approximate"] = bool(approximate)
    for column in ("address", "other_names", "description", "history", "directions"):
        values[column] = cells.get(column, "")
    plan.name_en = cells.get("name_en", "")
    plan.description_en = cells.get("description_en", "")

    number = cells.get("decision_number", "")
    decided_on = None
    if cells.get("decision_date"):
        try:
            decided_on = _parse_date(cells["decision_date"])
        except ValueError:
            result.error(
                "decision_date",
                _("Ngày “%(v)s” không hợp lệ (dd/mm/yyyy).") % {"v": cells["decision_date"][:20]},
            )
    if number:
        plan.decision = (number, decided_on, cells.get("decision_issuer", ""))
    elif decided_on or cells.get("decision_issuer"):
        result.error("decision_number", _("Có ngày hoặc cơ quan ra quyết định nhưng thiếu số quyết định."))

    # Owner and scope.
    existing = ctx.existing.get(code) if code else None
    owner_code = cells.get("organisation_code", "")
    owner = None
    if owner_code:
        owner = ctx.organisation(owner_code)
        if owner is None:
            result.error(
                "organisation_code",
                _("Không có đơn vị đang hoạt động mã %(code)s.") % {"code": owner_code[:40]},
            )
        elif not can(ctx.actor, HeritageAction.EDIT, owner):
            result.error(
                "organisation_code", _("Đơn vị %(name)s nằm ngoài phạm vi của bạn.") % {"name": owner.name}
            )
    if existing is not None:
        if not can(ctx.actor, HeritageAction.EDIT, existing):
            result.error(
                "code",
                _("Mã %(code)s đã được dùng cho di tích của đơn vị khác; không thể ghi đè.") % {"code": code},
            )
        else:
            plan.existing = existing
            owner = owner or existing.organisation
    elif owner is None and province is not None:
        owner = ctx.default_owner(province)
        if owner is None:
            result.error(
                "province_code", _("Bạn không có quyền nhập di tích cho %(name)s.") % {"name": province.name}
            )
    values["organisation"] = owner
    if existing is not None and not cells.get("status"):
        plan.publish = existing.is_published  # an update without a status keeps the current one
    was_published = existing is not None and existing.is_published
    if owner is not None and plan.publish != was_published and status is not None:
        # Publishing, or taking a published site back to draft, needs heritage.publish.
        if not can(ctx.actor, HeritageAction.PUBLISH, owner):
            if plan.publish:
                result.error("status", _("Bạn không có quyền công bố; hãy để trạng thái “nháp”."))
            else:
                result.error("status", _("Di tích đang công bố; bạn không có quyền đưa về bản nháp. "
                                         "Hãy để trống cột trạng thái."))
    plan.present = {name for name in values if _SOURCE.get(name, name) in cells}
    if not cells.get("organisation_code"):
        plan.present.discard("organisation")
    if not result.errors:
        result.action = "update" if existing is not None else "create"
    return plan


def check_rows(actor: Any, rows: list[list[Any]], report: ImportReport) -> list[_Plan]:
    if not rows or not any(_cell_text(c) for c in rows[0]):
        report.file_errors.append(_("Tệp không có dòng tiêu đề (dòng 1 phải là tên các cột)."))
        return []
    header = rows[0]
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = _cell_text(cell)
        if not title:
            continue
        column = header_to_column(title)
        if column is None:
            report.ignored_columns.append(title[:60])
        elif column in positions:
            report.file_errors.append(_("Cột “%(c)s” xuất hiện hai lần.") % {"c": title[:60]})
        else:
            positions[column] = index
    report.columns = [c for c in COLUMN_NAMES if c in positions]
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        labels = {c.name: c.label for c in SITE_COLUMNS}
        report.file_errors.append(
            _("Thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(f"{labels[c]} ({c})" for c in missing)}
        )
        return []
    data_rows = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(_cell_text(c) for c in r)]
    if len(data_rows) > MAX_ROWS:
        report.file_errors.append(_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
        return []
    report.total = len(data_rows)
    if not data_rows:
        report.file_errors.append(_("Tệp không có dòng dữ liệu nào."))
        return []
    code_index = positions["code"]
    ctx = _Context(actor, [_cell_text(r[code_index]) if code_index < len(r) else "" for _, r in data_rows])
    seen: dict[str, int] = {}
    plans = []
    for row_number, row in data_rows:
        cells = {
            column: _cell_text(row[index]) if index < len(row) else "" for column, index in positions.items()
        }
        plan = _check_row(ctx, row_number, cells, seen)
        plans.append(plan)
        report.rows.append(plan.result)
    return plans


# --- writing -----------------------------------------------------------------------------------


_DEFAULTS: dict[type, dict[str, Any]] = {}


def new_row(model: type[Model], **values: Any) -> SimpleNamespace:
    """A light stand-in for an unsaved model instance, for `insert_rows` (no Model.__init__ per row)."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = {
            f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key
        }
    return SimpleNamespace(**{**defaults, **values})


def insert_rows(model: type[Model], objects: list[Any], *, key: str | None = None) -> None:
    """Write unsaved `objects` in bulk: COPY on PostgreSQL, multi-row INSERTs elsewhere.

    Django's bulk_create spends most of its time compiling one parameter per field per row (and
    psycopg's client-side binding then formats each into the SQL text); here each column's
    adapter is looked up once. Values must be complete (auto_now fields set by the caller).
    With `key` (a unique field), each object gets its new primary key: taken from the table's
    sequence before a COPY on PostgreSQL (one query for all), read back with RETURNING (id, key)
    elsewhere. Without it ids are not read back.
    """
    import json

    from django.db import connection

    if not objects:
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    quote = ops.quote_name
    table = quote(model._meta.db_table)
    if key and postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, pk.column, len(objects)])
            for obj, (new_id,) in zip(objects, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_id)
        fields = [pk, *fields]
    adapters = []
    for f in fields:
        internal = f.get_internal_type()
        if internal == "JSONField":
            if postgres:  # COPY's text format takes the JSON text
                adapters.append(lambda v, f=f: None if v is None else json.dumps(v, cls=f.encoder))
            else:
                adapters.append(lambda v, f=f: None if v is None else ops.adapt_json_value(v, f.encoder))
        elif internal == "DateTimeField" and not postgres:
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "DateField" and not postgres:
            adapters.append(ops.adapt_datefield_value)
        elif internal in ("FileField", "ImageField"):
            adapters.append(lambda v: str(v or ""))
        else:
            adapters.append(None)
    attnames = [f.attname for f in fields]
    rows = [
        [value if adapt is None else adapt(value)
         for value, adapt in zip((getattr(obj, a) for a in attnames), adapters, strict=True)]
        for obj in objects
    ]
    # Only model metadata (quoted identifiers) goes into the SQL text; values are parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Multi-row VALUES, at most ~16,000 parameters a statement (SQLite's limit is 32,766).
        per_statement = max(1, min(BATCH, 16_000 // len(fields)))
        one_row = f"({', '.join(['%s'] * len(fields))})"
        head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
        tail = ""
        if key:
            key_field = model._meta.get_field(key)
            tail = f" RETURNING {quote(pk.column)}, {quote(key_field.column)}"
            by_key = {getattr(obj, key_field.attname): obj for obj in objects}
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one_row] * len(chunk)) + tail, [v for row in chunk for v in row])
            if key:
                for new_id, key_value in cursor.fetchall():
                    setattr(by_key[key_value], pk.attname, new_id)


def _commit(actor: Any, plans: list[_Plan], report: ImportReport, *, batch: ImportBatch | None) -> None:
    from vhttdl.core.search import services as search_services
    from vhttdl.heritage.services import public_url_builder, record_snapshot, search_document

    now = timezone.now()
    creates = [p for p in plans if p.existing is None]
    updates = [p for p in plans if p.existing is not None]

    new_sites = []
    for plan in creates:
        site = Site(**plan.values, version=1)
        if plan.publish:
            site.status, site.published_at = RecordStatus.PUBLISHED, now
        new_sites.append(site)
    for site in new_sites:
        site.created_at = site.updated_at = now
    insert_rows(Site, new_sites, key="code")
    for site in new_sites:
        site._state.adding = False

    before_by_id: dict[int, dict] = {}
    locked = {
        s.pk: s
        for s in Site.objects.select_for_update(of=("self",))
        .select_related("province", "commune")
        .filter(pk__in=[p.existing.pk for p in updates])
    }
    changed_sites = []
    for plan in updates:
        site = locked[plan.existing.pk]
        before_by_id[site.pk] = record_snapshot(site)
        for name in plan.present:
            setattr(site, name, plan.values[name])
        if plan.publish and not site.is_published:
            site.status, site.published_at = RecordStatus.PUBLISHED, now
        elif not plan.publish and site.is_published:
            site.status, site.published_at = RecordStatus.DRAFT, None
        site.version += 1
        site.updated_at = now
        changed_sites.append(site)
        plan.existing = site
    if changed_sites:
        fields = sorted(
            set().union(*(p.present for p in updates)) | {"status", "published_at", "version", "updated_at"}
        )
        Site.objects.bulk_update(changed_sites, fields, batch_size=BATCH)

    # Translations and ranking decisions.
    translations, decisions = [], []
    updated_ids = [s.pk for s in changed_sites]
    existing_tr = {
        t.site_id: t for t in SiteTranslation.objects.filter(site_id__in=updated_ids, language="en")
    }
    existing_dec = set(
        RankingDecision.objects.filter(site_id__in=updated_ids).values_list("site_id", "number")
    )
    tr_updates = []
    for plan, site in [*zip(creates, new_sites, strict=True), *[(p, p.existing) for p in updates]]:
        if plan.name_en or plan.description_en:
            current = existing_tr.get(site.pk)
            if current is not None:
                current.name, current.description = plan.name_en, plan.description_en
                tr_updates.append(current)
            else:
                translations.append(
                    new_row(SiteTranslation, site_id=site.pk, language="en", name=plan.name_en,
                            description=plan.description_en)
                )
        if plan.decision and (site.pk, plan.decision[0]) not in existing_dec:
            number, decided_on, issuer = plan.decision
            decisions.append(
                RankingDecision(
                    site_id=site.pk, number=number, decided_on=decided_on, issuer=issuer, rank=site.rank
                )
            )
    insert_rows(SiteTranslation, translations)
    if tr_updates:
        SiteTranslation.objects.bulk_update(tr_updates, ["name", "description"], batch_size=BATCH)
    RankingDecision.objects.bulk_create(decisions, batch_size=BATCH)

    # One revision per site (core.revisions; the numbers of all sites read in one query).
    all_sites = [*new_sites, *changed_sites]
    revisions_record_bulk(
        actor=actor,
        model=Site,
        action="imported",
        items=[RevisionInput(site.pk, before_by_id.get(site.pk), _light_snapshot(site)) for site in all_sites],
        at=now,
        write=insert_rows,
    )

    # One audit entry for the whole import (per-site detail is in the revisions).
    audit_record(
        actor=actor,
        action="heritage.site.imported",
        obj=batch,
        object_type=None if batch else "heritage.site",
        object_id=None if batch else "import",
        object_repr=(report.filename or "import")[:255],
        after={
            "file": report.filename,
            "created": [s.code for s in new_sites],
            "updated": [s.code for s in changed_sites],
        },
    )

    if all_sites:
        # Documents from the objects in hand (province and commune are attached): no query per site.
        build_url = public_url_builder()
        english = {site.pk: SimpleNamespace(name=plan.name_en, description=plan.description_en, history="")
                   for plan, site in [*zip(creates, new_sites, strict=True), *[(p, p.existing) for p in updates]]
                   if plan.name_en or plan.description_en}
        for tr in existing_tr.values():
            english.setdefault(tr.site_id, tr)
        docs = [search_document(site, url=build_url(site), en=english.get(site.pk)) for site in all_sites]
        search_services.index_documents_bulk(docs)
    report.created, report.updated, report.committed = len(new_sites), len(changed_sites), True


_SNAPSHOT_SKIP = {"id", "created_at", "updated_at"}


_SNAPSHOT_NAMES: list[str] = []


def _light_snapshot(site: Site) -> dict[str, Any]:
    """The site's field values for its revision (same shape as `services.record_snapshot`, no relations)."""
    if not _SNAPSHOT_NAMES:
        _SNAPSHOT_NAMES.extend(f.attname for f in Site._meta.concrete_fields if f.attname not in _SNAPSHOT_SKIP)
    out = {}
    for name in _SNAPSHOT_NAMES:
        value = getattr(site, name)
        out[name] = value.isoformat() if isinstance(value, (datetime, date)) else value
    return out


def sites_import(
    *,
    actor: Any,
    file: Any,
    filename: str | None = None,
    dry_run: bool = True,
    batch: ImportBatch | None = None,
) -> ImportReport:
    """Check (and, when `dry_run` is False and every row is clean, write) a CSV/Excel file of sites.

    `file`: bytes, a file object, or a `CheckedFile` already through core.files. Returns an
    ImportReport: `.committed`, `.created`, `.updated`, `.total`, `.file_errors`, and `.rows` (each
    with `.row`, `.code`, `.action` and `.errors` = [CellIssue(column, message)]). Raises nothing
    for bad content (it is reported); raises PermissionDenied when the actor may not edit heritage
    records at all.
    """
    from django.core.exceptions import PermissionDenied

    if not can(actor, HeritageAction.EDIT):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu di sản."))
    name = file.original_name if isinstance(file, CheckedFile) else (filename or getattr(file, "name", "") or "")
    report = ImportReport(filename=str(name).rsplit("/", 1)[-1][:200], dry_run=dry_run)
    try:
        checked = file if isinstance(file, CheckedFile) else check_file(file, filename)
        rows = read_rows(checked)
    except InvalidInput as exc:
        report.file_errors.append(exc.message)
        return report
    plans = check_rows(actor, rows, report)
    if dry_run or not report.is_clean:
        return report
    with transaction.atomic():
        _commit(actor, plans, report, batch=batch)
    return report


# --- the back office's two steps, on core.imports ----------------------------------------------


class SitesImporter(Importer):
    """Sites from CSV or Excel. Stale batches are checked again inside the commit (`recheck`)."""

    name = IMPORTER
    accept = ACCEPT
    on_stale = "recheck"

    def max_bytes(self) -> int:
        return max_import_bytes()

    def basis(self, *, actor: Any, target: Any, batch: Any) -> dict[str, Any]:
        """How many sites exist and the latest revision of any: a change to the sites moves either."""
        from django.contrib.contenttypes.models import ContentType

        site_type = ContentType.objects.get_for_model(Site)
        last = Revision.objects.filter(content_type=site_type).aggregate(n=Max("id"))["n"] or 0
        return {"sites": Site.objects.count(), "last_revision": last}

    def check(self, *, actor: Any, file: CheckedFile, target: Any) -> CheckOutcome:
        report = sites_import(actor=actor, file=file, dry_run=True)
        return CheckOutcome(
            report=report.to_dict(),
            clean=report.is_clean,
            rows_total=report.total,
            rows_bad=report.error_count,
            basis=self.basis(actor=actor, target=target, batch=None),
        )

    def commit(self, *, actor: Any, file: CheckedFile, target: Any, batch: Any, stale: bool) -> CommitOutcome:
        # Always checked again: the rows are parsed again anyway, and the check is what makes the write safe.
        report = sites_import(actor=actor, file=file, dry_run=False, batch=batch)
        return CommitOutcome(
            report=report.to_dict(), committed=report.committed, rows_total=report.total, rows_bad=report.error_count
        )


def site_import_check(*, actor: Any, upload: Any) -> ImportBatch:
    """Dry run of an uploaded file into a stored batch (InvalidInput for a file refused outright)."""
    if not can(actor, HeritageAction.EDIT):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu di sản."))
    return import_services.import_check(
        actor=actor, importer=SitesImporter(), upload=upload, organisation=permissions.default_owner(actor, None)
    )


def site_import_commit(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Write a checked batch (checked again first); 409 for a batch already written, rejected or expired."""
    return import_services.import_commit(actor=actor, importer=SitesImporter(), batch=batch)


def site_import_for_actor(actor: Any, pk: Any) -> ImportBatch:
    return import_selectors.get_batch_for_actor(actor, pk, IMPORTER)


def recent_site_imports(actor: Any):
    return import_selectors.recent_batches(actor=actor, importer=IMPORTER)
