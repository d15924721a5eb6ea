"""Presenters of the reporting pages: stored rows turned into what a page shows, no queries of their own
beyond the selectors they call.

`build_grid` lays out a form version like the paper form: sections of rows of cells, with row
totals, and elements disaggregated by two categories as a small cross-table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.reporting import selectors


@dataclass
class GridCell:
    element: str
    combo: str
    label: str
    value: str = ""
    comment: str = ""
    input_id: str = ""
    r: str = ""  # option of the first category (matrix rows)
    c: str = ""  # option of the second category (matrix rows)


@dataclass
class GridRow:
    code: str
    label: str
    unit: str
    value_type: str
    numeric: bool
    show_total: bool
    cells: list[GridCell] = field(default_factory=list)
    header: list[str] | None = None  # column names, when they differ from the row above
    total: float | None = None
    pad: int = 0
    matrix: dict | None = None  # two categories: sub-rows × columns with row and column totals


def _matrix(row, values: dict, language: str, s_index: int, label: str) -> dict | None:
    """Cross-tab an element disaggregated by two categories, like the paper form: options of the
    first category as sub-rows, of the second as columns, with row, column and grand totals."""
    first, second = row.categories
    by_options: dict[tuple[int, int], object] = {}
    rows_seen, cols_seen = {}, {}
    for coc in row.columns:
        options = {o.category_id: o for o in coc.options.all()}
        if first.pk not in options or second.pk not in options:
            return None
        a, b = options[first.pk], options[second.pk]
        by_options[(a.pk, b.pk)] = coc
        rows_seen.setdefault(a.pk, a)
        cols_seen.setdefault(b.pk, b)
    element = row.element
    col_totals = {b: 0.0 for b in cols_seen}
    sub_rows = []
    for a in rows_seen.values():
        cells, total = [], 0.0
        for b in cols_seen.values():
            coc = by_options.get((a.pk, b.pk))
            if coc is None:
                cells.append(None)
                continue
            stored = values.get((element.code, coc.code))
            cells.append(
                GridCell(
                    element=element.code,
                    combo=coc.code,
                    label=f"{label} – {coc.label(language)}",
                    value=stored.value if stored else "",
                    comment=stored.comment if stored else "",
                    input_id=f"c-{s_index}-{element.code}-{coc.code}",
                    r=a.code,
                    c=b.code,
                )
            )
            if stored and stored.numeric_value is not None:
                total += stored.numeric_value
                col_totals[b.pk] += stored.numeric_value
        sub_rows.append({"key": a.code, "label": f"{label} – {a.label(language)}", "cells": cells, "total": total})
    return {
        "col_labels": [b.label(language) for b in cols_seen.values()],
        "sub_rows": sub_rows,
        "col_totals": [{"key": b.code, "value": col_totals[b.pk]} for b in cols_seen.values()],
        "grand_total": sum(col_totals.values()),
        "total_label": f"{label} – {_('Tổng cộng')}",
    }


def build_grid(version, values: dict) -> list[dict]:
    """Sections of rows of cells for a form version, filled with `values` ({(element, combo): DataValue})."""
    language = get_language()
    layout = selectors.form_layout(version)
    sections = []
    for s_index, section in enumerate(layout.sections):
        rows: list[GridRow] = []
        previous: list[str] | None = None
        built = []
        for row in section.rows:
            element = row.element
            label = row.title(language)
            matrix = None
            if len(row.categories) == 2 and element.is_numeric:
                matrix = _matrix(row, values, language, s_index, label)
            built.append((row, matrix))
        width = max((len(m["col_labels"]) if m else len(r.columns) for r, m in built), default=1)
        for row, matrix in built:
            element = row.element
            numeric = element.is_numeric
            columns = matrix["col_labels"] if matrix else [c.label(language) for c in row.columns]
            grid_row = GridRow(
                code=element.code,
                label=row.title(language),
                unit=(
                    element.unit_of_measure_en
                    if language == "en" and element.unit_of_measure_en
                    else element.unit_of_measure
                ),
                value_type=element.value_type,
                numeric=numeric,
                show_total=numeric and element.aggregation == "sum" and (len(row.columns) > 1 or bool(matrix)),
                header=columns if (columns != previous or matrix) else None,
                pad=width - len(columns),
                matrix=matrix,
            )
            previous = None if matrix else columns
            if matrix:
                rows.append(grid_row)
                continue
            total = 0.0
            for coc in row.columns:
                stored = values.get((element.code, coc.code))
                grid_row.cells.append(
                    GridCell(
                        element=element.code,
                        combo=coc.code,
                        label=f"{grid_row.label} – {coc.label(language)}",
                        value=stored.value if stored else "",
                        comment=stored.comment if stored else "",
                        input_id=f"c-{s_index}-{element.code}-{coc.code}",
                    )
                )
                if stored and stored.numeric_value is not None:
                    total += stored.numeric_value
            grid_row.total = total if grid_row.show_total else None
            rows.append(grid_row)
        sections.append({"title": section.heading(language), "rows": rows, "width": width})
    return sections


# --- which tab of the sub-menu a report belongs to ------------------------------------------------

REPORT_TABS = ("mine", "inbox", "list")


def report_tab(*, requested: str | None, actions: dict[str, bool], own_unit: bool) -> str:
    """The sub-menu tab to mark on a report's page: the list it was opened from (`?from=`), else the
    one it belongs to: the person's own unit's reports, those waiting for them, or all reports."""
    if requested in REPORT_TABS:
        return requested
    if own_unit:
        return "mine"
    if actions.get("approve") or actions.get("accept"):
        return "inbox"
    return "list"
