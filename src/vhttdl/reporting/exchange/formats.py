"""Reading and writing data value sets: DHIS2 JSON, DHIS2 CSV and ADX XML.

Parsing turns any of the three into a flat list of `RawValue` (codes as written, nothing looked
up yet); a document that cannot be read at all raises `FormatError` with a message for people.
Rendering takes `ExportValue` rows. Identifiers are kept as written: codes by default, or UIDs or
names as the request's `idScheme` says (`schemes.py` turns them into codes before the import).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET  # only to write ADX; reading goes through defusedxml

import msgspec
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.text.safety import export_cell
from vhttdl.reporting.models import PeriodType

ADX_NS = "urn:ihe:qrph:adx:2015"
CSV_COLUMNS = ["dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value",
               "storedby", "lastupdated", "comment", "followup", "deleted"]
MAX_VALUES = 2_000_000  # one request; bigger files go in several


class FormatError(InvalidInput):
    code = "unreadable"


class RawValue(msgspec.Struct, gc=False):
    """One value as written in the document (a msgspec struct: built in C, millions per import)."""

    data_element: str
    period: str
    org_unit: str
    option_combo: str | None  # a code, or None: "default", or from `options`
    value: object
    comment: str | None = None
    data_set: str | None = None
    complete_date: str | None = None
    options: dict[str, str] = msgspec.field(default_factory=dict)  # ADX: {category code: option code}
    index: int = 0  # position in the document (1-based) for conflicts
    deleted: bool = False  # DHIS2's `"deleted": true`: remove the stored value


@dataclass(frozen=True)
class ExportValue:
    data_element: str
    period: str
    period_type: str
    period_start: date
    org_unit: str
    option_combo: str
    options: tuple[tuple[str, str], ...]  # ((category code, option code), ...) for ADX
    value: str
    comment: str
    stored_by: str
    last_updated: str
    data_set: str


def _flag(value: object) -> bool:
    """DHIS2 booleans: true / "true" (any case) / 1."""
    if value is True:
        return True
    return type(value) is str and value.strip().lower() in ("true", "1")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return value.strip()
    return str(value).strip()


# --- DHIS2 JSON ---------------------------------------------------------------------------------


@contextmanager
def collector_paused():
    """Building millions of small objects would trigger the cyclic garbage collector over and over
    although none of them form cycles; pausing it while parsing halves the time of a large body."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_json(body: bytes) -> list[RawValue]:
    with collector_paused():
        values = _parse_json_fast(body)
        return values if values is not None else _parse_json(body)


# The fast reading of DHIS2 JSON: msgspec decodes straight into these (C, no dict per value); any
# field may hold any JSON type, as with `json`. A document these do not fit (a list where an object
# belongs, null dataValues, a BOM, NaN...) is read again by `_parse_json`, which words the error.
class _JsonValue(msgspec.Struct, gc=False):
    dataElement: Any = None
    period: Any = None
    orgUnit: Any = None
    categoryOptionCombo: Any = None
    value: Any = None
    comment: Any = None
    deleted: Any = None


class _JsonSet(msgspec.Struct, gc=False):
    dataSet: Any = None
    period: Any = None
    orgUnit: Any = None
    completeDate: Any = None
    dataValues: list[_JsonValue] = []


class _JsonDocument(_JsonSet, gc=False):
    dataValueSets: list[_JsonSet] | msgspec.UnsetType = msgspec.UNSET


_DECODER = msgspec.json.Decoder(_JsonDocument)


def _parse_json_fast(body: bytes) -> list[RawValue] | None:
    """What `_parse_json` returns, by msgspec; None when the document needs `_parse_json`'s care."""
    try:
        document = _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
        return None
    sets = [document] if document.dataValueSets is msgspec.UNSET else document.dataValueSets
    if sum(len(s.dataValues) for s in sets) > MAX_VALUES:
        return None
    values: list[RawValue] = []
    append = values.append
    index = 0
    for data_set in sets:
        set_period, set_org = data_set.period, data_set.orgUnit
        set_code = _text(data_set.dataSet)
        complete = _text(data_set.completeDate)
        for item in data_set.dataValues:
            index += 1
            de, period, org, coc, comment = item.dataElement, item.period or set_period, item.orgUnit or set_org, \
                item.categoryOptionCombo, item.comment
            append(RawValue(
                (de.strip() if type(de) is str else _text(de)) or "",
                (period.strip() if type(period) is str else _text(period)) or "",
                (org.strip() if type(org) is str else _text(org)) or "",
                None if coc is None else _text(coc),
                item.value,
                None if comment is None else _text(comment),
                set_code,
                complete,
                {},
                index,
                False if item.deleted is None else _flag(item.deleted),
            ))
    return values


def _parse_json(body: bytes) -> list[RawValue]:
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except RecursionError:
        raise FormatError(_("Dữ liệu JSON lồng nhau quá sâu."), code="too_deep") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(_("Tệp JSON không đọc được: %(error)s") % {"error": str(exc)[:200]}) from None
    sets = document.get("dataValueSets") if isinstance(document, dict) and "dataValueSets" in document else [document]
    if not isinstance(sets, list):
        raise FormatError(_("Tệp JSON phải là một đối tượng dataValueSet."))
    values: list[RawValue] = []
    append = values.append
    for data_set in sets:
        if not isinstance(data_set, dict) or not isinstance(data_set.get("dataValues", []), list):
            raise FormatError(_("Tệp JSON phải có dạng {dataSet, period, orgUnit, dataValues: [...]}."))
        items = data_set.get("dataValues", [])
        if len(values) + len(items) > MAX_VALUES:
            raise FormatError(_("Quá nhiều giá trị trong một lần gửi (tối đa %(max)s).") % {"max": MAX_VALUES})
        # What the data set says once, for every value that does not say otherwise.
        set_period = data_set.get("period")
        set_org = data_set.get("orgUnit")
        set_code = _text(data_set.get("dataSet"))
        complete = _text(data_set.get("completeDate"))
        index = len(values)
        for item in items:
            if type(item) is not dict:
                raise FormatError(_("Mỗi phần tử của dataValues phải là một đối tượng."))
            index += 1
            get = item.get
            append(RawValue(
                _text(get("dataElement")) or "",
                _text(get("period") or set_period) or "",
                _text(get("orgUnit") or set_org) or "",
                _text(get("categoryOptionCombo")),
                get("value"),
                _text(get("comment")),
                set_code,
                complete,
                {},
                index,
                _flag(get("deleted")),
            ))
    return values


def render_json(rows: list[ExportValue]) -> str:
    data_values = [
        {"dataElement": r.data_element, "period": r.period, "orgUnit": r.org_unit,
         "categoryOptionCombo": r.option_combo, "value": r.value, "storedBy": r.stored_by,
         "lastUpdated": r.last_updated, **({"comment": r.comment} if r.comment else {})}
        for r in rows
    ]
    return json.dumps({"dataValues": data_values}, ensure_ascii=False)


# --- DHIS2 CSV ----------------------------------------------------------------------------------


def parse_csv(body: bytes) -> list[RawValue]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(_("Tệp CSV phải dùng mã UTF-8.")) from None
    reader = csv.reader(io.StringIO(text))
    values: list[RawValue] = []
    columns = CSV_COLUMNS
    try:
        for line_number, row in enumerate(reader, start=1):
            if not row or all(not c.strip() for c in row):
                continue
            if line_number == 1 and row[0].strip().lower() in {"dataelement", "data_element", "de"}:
                columns = [c.strip().lower() for c in row]
                continue
            cells = dict(zip(columns, row, strict=False))
            if len(row) < 6:
                raise FormatError(_("Dòng %(line)s của tệp CSV có %(count)s cột; cần ít nhất 6 (dataelement, "
                                    "period, orgunit, categoryoptioncombo, attributeoptioncombo, value).")
                                  % {"line": line_number, "count": len(row)})
            values.append(RawValue(
                data_element=cells.get("dataelement", "").strip(),
                period=cells.get("period", "").strip(),
                org_unit=cells.get("orgunit", "").strip(),
                option_combo=(cells.get("categoryoptioncombo") or "").strip() or None,
                value=csv_uncell(cells.get("value") or ""),
                comment=csv_uncell((cells.get("comment") or "").strip()) or None,
                index=line_number,
                deleted=_flag(cells.get("deleted")),
            ))
            if len(values) > MAX_VALUES:
                raise FormatError(_("Quá nhiều giá trị trong một lần gửi (tối đa %(max)s).") % {"max": MAX_VALUES})
    except csv.Error as exc:  # a field over csv.field_size_limit() (131,072 characters), a NUL...
        raise FormatError(
            _("Dòng %(line)s của tệp CSV không đọc được (%(error)s); một ô dài tối đa %(max)s ký tự.")
            % {"line": reader.line_num, "error": str(exc)[:200], "max": csv.field_size_limit()},
            code="bad_csv", details={"line": reader.line_num},
        ) from None
    return values


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def csv_cell(text: str) -> str:
    """A text as the CSV export writes it: a figure as it is (a spreadsheet reads "-5" as minus five,
    never as a formula), anything else through `export_cell` (formulas neutralised)."""
    if not text or _NUMBER.fullmatch(text):
        return text
    return export_cell(text)


def csv_uncell(text: str) -> str:
    """The import's inverse of `csv_cell`: the apostrophe it put before = + - @ is taken off again."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def render_csv(rows: list[ExportValue]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([csv_cell(r.data_element), r.period, csv_cell(r.org_unit), csv_cell(r.option_combo), "",
                         csv_cell(r.value), csv_cell(r.stored_by), r.last_updated, csv_cell(r.comment), "false",
                         "false"])
    return out.getvalue()


# --- ADX ----------------------------------------------------------------------------------------

_DURATION = re.compile(r"^P(\d+)([DMY])$")


def adx_period_to_code(text: str) -> str:
    """"2025-01-01/P1M" → "202501"; P3M → quarter, P6M → half-year, P9M → nine months, P1Y → year."""
    try:
        start_text, duration = text.strip().split("/")
        start = date.fromisoformat(start_text)
    except ValueError:
        return text  # left for the period check to report
    match = _DURATION.match(duration.upper())
    if not match:
        return text
    n, unit = int(match[1]), match[2]
    if unit == "M" and n == 1:
        return f"{start.year:04d}{start.month:02d}"
    if unit == "M" and n == 3 and start.day == 1 and start.month in (1, 4, 7, 10):
        return f"{start.year:04d}Q{(start.month - 1) // 3 + 1}"
    if unit == "M" and n == 6 and start.day == 1 and start.month in (1, 7):
        return f"{start.year:04d}S{1 if start.month == 1 else 2}"
    if unit == "M" and n == 9 and start.day == 1 and start.month == 1:
        return f"{start.year:04d}N9"
    if ((unit == "Y" and n == 1) or (unit == "M" and n == 12)) and start.day == 1 and start.month == 1:
        return f"{start.year:04d}"
    if unit == "D":
        from datetime import timedelta

        return f"{start.isoformat()}_{(start + timedelta(days=n - 1)).isoformat()}"
    return text


def code_to_adx_period(period_type: str, start: date, end: date) -> str:
    months = {PeriodType.MONTHLY: 1, PeriodType.QUARTERLY: 3, PeriodType.HALF_YEARLY: 6,
              PeriodType.NINE_MONTHS: 9}
    if period_type in months:
        return f"{start.isoformat()}/P{months[period_type]}M"
    if period_type == PeriodType.YEARLY:
        return f"{start.isoformat()}/P1Y"
    return f"{start.isoformat()}/P{(end - start).days + 1}D"


def parse_adx(body: bytes) -> list[RawValue]:
    """ADX through defusedxml: a DTD, an entity or an external reference is refused in any encoding
    (a byte scan for "<!DOCTYPE" missed the same declaration written in UTF-16)."""
    try:
        root = safe_fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError(_("Tệp ADX không được chứa khai báo DOCTYPE hoặc ENTITY."), code="xml_forbidden") from None
    except (ET.ParseError, ValueError) as exc:
        raise FormatError(_("Tệp ADX (XML) không đọc được: %(error)s") % {"error": str(exc)[:200]}) from None
    if root.tag not in (f"{{{ADX_NS}}}adx", "adx"):
        raise FormatError(_("Tệp XML không phải ADX (phần tử gốc phải là <adx xmlns=\"%(ns)s\">).") % {"ns": ADX_NS})
    values: list[RawValue] = []
    for group in root:
        if group.tag not in (f"{{{ADX_NS}}}group", "group"):
            continue
        attrs = dict(group.attrib)
        org_unit = attrs.pop("orgUnit", "").strip()
        period = adx_period_to_code(attrs.pop("period", ""))
        data_set = attrs.pop("dataSet", None)
        complete_date = attrs.pop("completeDate", None)
        group_options = {k: v for k, v in attrs.items() if not k.startswith("{")}
        for item in group:
            if item.tag not in (f"{{{ADX_NS}}}dataValue", "dataValue"):
                continue
            a = dict(item.attrib)
            de = a.pop("dataElement", "").strip()
            value = a.pop("value", None)
            comment = None
            annotation = item.find(f"{{{ADX_NS}}}annotation")
            if annotation is None:
                annotation = item.find("annotation")
            if annotation is not None and annotation.text:
                comment = annotation.text.strip()
            options = {k: v.strip() for k, v in a.items() if not k.startswith("{")}
            combo = options.pop("categoryOptionCombo", None)
            values.append(RawValue(
                data_element=de, period=period, org_unit=org_unit, option_combo=combo, value=value,
                comment=comment, data_set=data_set, complete_date=complete_date,
                options={**group_options, **options} if combo is None else {}, index=len(values) + 1,
            ))
            if len(values) > MAX_VALUES:
                raise FormatError(_("Quá nhiều giá trị trong một lần gửi (tối đa %(max)s).") % {"max": MAX_VALUES})
    return values


def render_adx(rows: list[ExportValue]) -> str:
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx")
    groups: dict[tuple[str, str, str], ET.Element] = {}
    for r in rows:
        key = (r.data_set, r.org_unit, r.period)
        group = groups.get(key)
        if group is None:
            group = ET.SubElement(root, f"{{{ADX_NS}}}group", {
                "orgUnit": r.org_unit,
                "period": code_to_adx_period(r.period_type, r.period_start, _period_end(r)),
                "dataSet": r.data_set,
            })
            groups[key] = group
        attrs = {"dataElement": r.data_element, **dict(r.options), "value": r.value}
        item = ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
        if r.comment:
            ET.SubElement(item, f"{{{ADX_NS}}}annotation").text = r.comment
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _period_end(row: ExportValue) -> date:
    from vhttdl.reporting.periods import parse_period

    return parse_period(row.period).end_date


FORMATS = {"json": "application/json", "csv": "application/csv", "adx": "application/adx+xml"}


def negotiate(format_param: str | None, content_type: str | None) -> str:
    """"json", "csv" or "adx" from ?format= or a Content-Type / Accept header (JSON by default)."""
    if format_param:
        value = format_param.strip().lower()
        if value in ("xml", "adx", "adx+xml"):
            return "adx"
        if value in FORMATS:
            return value
        raise InvalidInput(_("Định dạng «%(format)s» không được hỗ trợ; dùng json, csv hoặc adx.")
                           % {"format": format_param}, code="unsupported_format")
    header = (content_type or "").lower().split(",")[0]
    if "csv" in header:
        return "csv"
    if "xml" in header:
        return "adx"
    return "json"
