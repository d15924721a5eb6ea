"""The pivot page's reads turned into what it shows: the chosen parameters, the tables, the chart, the
Excel file. The view only parses the request and renders (see `views.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from vhttdl.core.text.safety import export_cell
from vhttdl.core.units.history import today
from vhttdl.core.units.naming import short_names
from vhttdl.reporting.analytics import charts
from vhttdl.reporting.analytics.selectors import (
    AS_REPORTED,
    TODAY,
    TOTAL,
    analytics_values,
    periods_between,
    resolve_units,
)
from vhttdl.reporting.models import CategoryOption, CategoryOptionCombo, DataElement, PeriodType
from vhttdl.reporting.periods import ad_hoc_code, parse_period, period_label

LEVELS = [("national", gettext_lazy("Toàn quốc (hoặc đơn vị của bạn)")),
          ("department", gettext_lazy("Các Sở và cơ quan thuộc Bộ")),
          ("unit", gettext_lazy("Các đơn vị cơ sở")),
          ("children", gettext_lazy("Các đơn vị trực thuộc một đơn vị"))]
MAX_BARS, MAX_LINES = 40, 8
GRAINS = [PeriodType.MONTHLY, PeriodType.QUARTERLY, PeriodType.HALF_YEARLY, PeriodType.YEARLY]


@dataclass
class PivotRow:
    unit: str  # the unit's name in the page's language
    column: str  # the disaggregation's code ("" for the total)
    values: list[float | None]
    whole: float | None
    short: str = ""  # the unit's short name (a department's province), for charts
    column_label: str = ""  # the disaggregation's name in the page's language

    @property
    def series_name(self) -> str:
        return f"{self.short or self.unit} · {self.column_label}" if self.column_label else (self.short or self.unit)

    @property
    def full_name(self) -> str:
        return f"{self.unit} · {self.column_label}" if self.column_label else self.unit


@dataclass
class PivotTable:
    element: DataElement
    rows: list[PivotRow] = field(default_factory=list)


@dataclass
class Pivot:
    params: dict[str, Any]
    tables: list[PivotTable]
    period_labels: list[str]
    whole_label: str
    chart: Any = None


def pivot_params(get: QueryDict) -> dict[str, Any]:
    """The page's choices from its query string, with defaults (last year, by month, departments)."""
    year = today().year - 1
    return {
        "de": [c for c in get.getlist("de") if c],
        "start": get.get("start", f"{year}01").strip(),
        "end": get.get("end", f"{year}12").strip(),
        "grain": get.get("grain", PeriodType.MONTHLY),
        "level": get.get("level", "department"),
        "parent": get.get("parent", "").strip(),
        "history": get.get("history", TODAY),
        "by": get.get("by", ""),
        "chart": get.get("chart", "bar"),
    }


def build_pivot(actor: Any, params: dict[str, Any], elements: list[DataElement]) -> Pivot:
    language = (get_language() or "vi")[:2]
    grain = params["grain"] if params["grain"] in GRAINS else PeriodType.MONTHLY
    periods = periods_between(params["start"], params["end"], grain)
    whole = parse_period(ad_hoc_code(periods[0].start_date, periods[-1].end_date))
    history = params["history"] if params["history"] in (AS_REPORTED, TODAY) else TODAY
    level = params["level"]
    if level == "national":
        items = ["USER_ORGUNIT"]
    elif level == "unit":
        items = ["LEVEL-3"]
    elif level == "children" and params["parent"]:
        items = [f"CHILDREN-{params['parent']}"]
    else:
        items = ["LEVEL-2"]
    units = resolve_units(actor=actor, items=items, periods=periods, view=history)
    by = params["by"] or None
    cells = analytics_values(actor=actor, elements=elements, periods=[*periods, whole], units=units, view=history,
                             by=by)
    found: dict[tuple[str, str, str, str], float] = {(c.dx, c.ou, c.pe, c.co): c.value for c in cells}
    columns_by_element: dict[str, list[str]] = {}
    for c in cells:
        columns_by_element.setdefault(c.dx, [])
        if c.co not in columns_by_element[c.dx]:
            columns_by_element[c.dx].append(c.co)
    column_names = column_labels({c for cs in columns_by_element.values() for c in cs}, language)
    shorts = short_names(units, language)
    tables = []
    for element in elements:
        table = PivotTable(element)
        columns = sorted(columns_by_element.get(element.code, [TOTAL])) if by else [TOTAL]
        for unit in units:
            for column in columns:
                row_values = [found.get((element.code, unit.code, p.code, column)) for p in periods]
                whole_value = found.get((element.code, unit.code, whole.code, column))
                if by and whole_value is None and not any(v is not None for v in row_values):
                    continue
                table.rows.append(PivotRow(unit.display_name(language), column, row_values, whole_value,
                                           shorts[unit.pk], column_names.get(column, column)))
        tables.append(table)
    pivot = Pivot(params, tables, [period_label(p) for p in periods], _("Cả khoảng thời gian"))
    if tables and tables[0].rows:
        pivot.chart = _chart(pivot, tables[0], params["chart"], language)
    return pivot


def _chart(pivot: Pivot, table: PivotTable, kind: str, language: str) -> charts.Chart:
    element = table.element
    unit = element.unit_of_measure_en if language == "en" and element.unit_of_measure_en else element.unit_of_measure
    title = element.label(language) + (f" ({unit})" if unit else "")
    if kind == "line":
        series = [(r.series_name, r.values) for r in table.rows[:MAX_LINES]]
        return charts.line_chart(pivot.period_labels, series, title)
    rows = [r for r in table.rows if r.whole is not None][:MAX_BARS]
    return charts.bar_chart([(r.series_name, r.full_name, r.whole or 0) for r in rows], title, pivot.whole_label)


def column_labels(codes: set[str], language: str | None) -> dict[str, str]:
    """Disaggregation codes (option combos or category options) → their names ("DOM" → "Nội địa")."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    names = {c.code: c.label(language) for c in CategoryOptionCombo.objects.filter(code__in=codes)}
    for option in CategoryOption.objects.filter(code__in=codes - set(names)):
        names[option.code] = option.label(language)
    return names


def element_options(elements: list[DataElement], chosen: list[str], language: str | None) -> SafeString:
    """The `<option>`s of the indicator picker, the `chosen` codes selected, names in `language`."""
    english = (language or "").startswith("en")
    return mark_safe("".join(  # noqa: S308 - every value written into it is escaped
        f'<option value="{escape(e.code)}"{" selected" if e.code in chosen else ""}>'
        f"{escape((english and e.name_en) or e.name)} ({escape(e.code)})</option>"
        for e in elements
    ))


def pivot_xlsx(result: Pivot) -> bytes:
    """The tables as one Excel sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Tổng hợp")[:31]
    bold = Font(bold=True)
    language = (get_language() or "vi")[:2]
    for table in result.tables:
        sheet.append([f"{table.element.code} · {table.element.label(language)}"])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append([_("Đơn vị"), _("Phân tổ"), *result.period_labels, result.whole_label])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([export_cell(row.unit), export_cell(row.column_label), *row.values, row.whole])
        sheet.append([])
    sheet.column_dimensions["A"].width = 45
    out = BytesIO()
    book.save(out)
    return out.getvalue()
