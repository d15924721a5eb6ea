"""Presenters of the reporting pages: stored rows turned into what a page shows, no queries of their own
beyond the selectors they call.

`build_grid` lays out a form version like the paper form: sections of rows of cells, with row
totals, and elements disaggregated by two categories as a small cross-table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vhttdl.reporting import selectors
from vhttdl.reporting.layout_cache import cached_form_layout
from vhttdl.reporting.models import Submission


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
    html: SafeString | None = None  # the entry grid's <td> of this cell (`cell_html`), when asked for


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
    html: SafeString | None = None  # the entry grid's <tr>s of this row (`row_html`), when asked for


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
                    value=reader_number(stored.value, language) if stored else "",
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


def build_grid(version, values: dict, *, editable: bool | None = None) -> list[dict]:
    """Sections of rows of cells for a form version, filled with `values` ({(element, combo): DataValue},
    or the `selectors.StoredCell` of the report page).

    With `editable` (the entry grid), every cell also carries its `<td>` as `html` (see `cell_html`).
    The layout comes from the process's store of layouts (`layout_cache`), never stale.
    """
    language = get_language()
    layout = cached_form_layout(version)
    sections: list[dict[str, Any]] = []
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
                        value=(reader_number(stored.value, language) if numeric else stored.value) if stored else "",
                        comment=stored.comment if stored else "",
                        input_id=f"c-{s_index}-{element.code}-{coc.code}",
                    )
                )
                if stored and stored.numeric_value is not None:
                    total += stored.numeric_value
            grid_row.total = total if grid_row.show_total else None
            rows.append(grid_row)
        sections.append({"title": section.heading(language), "rows": rows, "width": width})
    if editable is not None:
        texts = _cell_texts()
        for grid_section in sections:
            for grid_row in grid_section["rows"]:
                cells = ([c for sub in grid_row.matrix["sub_rows"] for c in sub["cells"] if c is not None]
                         if grid_row.matrix else grid_row.cells)
                for cell in cells:
                    cell.html = cell_html(cell, grid_row, editable, texts)
                grid_row.html = row_html(grid_row)
    return sections


def row_html(row: GridRow) -> SafeString:
    """One row of the entry grid (its column heads when they change, and a cross-table's sub-rows and
    totals), its cells already written (`cell_html`). Written here rather than in the template for
    the same reason as the cells: the markup the grid's script reads, in a fraction of the time."""
    from django.template.defaultfilters import floatformat

    code, unit = escape(row.code), escape(row.unit)
    pad_th, pad_td = "<th></th>" * row.pad, "<td></td>" * row.pad
    parts = ["\n        "]
    if row.header:
        names = "".join(f'<th scope="col" class="num">{escape(name)}</th>' for name in row.header)
        total_head = escape(_("Tổng")) if row.show_total else ""
        parts.append(
            f'<tr class="col-head"><th scope="col">{escape(_("Chỉ tiêu"))}</th>'
            f'<th scope="col">{escape(_("Đơn vị tính"))}</th>{names}{pad_th}'
            f'<th scope="col" class="num">{total_head}</th></tr>'
        )
    parts.append("\n        ")
    total_label = _("Tổng %(label)s") % {"label": escape(row.label)}
    if row.matrix:
        parts.append("\n          ")
        for index, sub in enumerate(row.matrix["sub_rows"]):
            key = escape(sub["key"])
            first = f' <span class="code">{code}</span>' if index == 0 else ""
            cells = "".join(cell.html if cell is not None else "<td></td>" for cell in sub["cells"])
            sum_attr = f'data-sum-row="{code}|{key}"' if row.show_total else ""
            sum_value = floatformat(sub["total"], "g") if row.show_total else ""
            parts.append(
                f'\n          <tr data-row="{code}:{key}">\n'
                f'            <th scope="row" class="row-label">{escape(sub["label"])}{first}</th>\n'
                f'            <td class="muted small">{unit}</td>\n'
                f"            {cells}\n"
                f"            {pad_td}\n"
                f'            <td class="num row-total" {sum_attr}>{sum_value}</td>\n'
                "          </tr>\n          "
            )
        parts.append("\n          ")
        if row.show_total:
            matrix = row.matrix
            columns = "".join(
                f'<td class="num row-total" data-sum-col="{code}|{escape(col["key"])}">'
                f'{floatformat(col["value"], "g")}</td>'
                for col in matrix["col_totals"]
            )
            parts.append(
                '\n          <tr class="sum-row">\n'
                f'            <th scope="row" class="row-label">{escape(matrix["total_label"])}</th><td></td>\n'
                f"            {columns}\n"
                f"            {pad_td}\n"
                f'            <td class="num row-total" data-total-for="{code}" aria-label="{total_label}">'
                f'{floatformat(matrix["grand_total"], "g")}</td>\n'
                "          </tr>\n          "
            )
        parts.append("\n        ")
    else:
        cells = "".join(cell.html or "" for cell in row.cells)
        total_attr = f'data-total-for="{code}" aria-label="{total_label}"' if row.show_total else ""
        total = floatformat(row.total, "g") if row.show_total else ""
        parts.append(
            f'\n        <tr data-row="{code}">\n'
            f'          <th scope="row" class="row-label">{escape(row.label)} <span class="code">{code}</span></th>\n'
            f'          <td class="muted small">{unit}</td>\n'
            f"          {cells}\n"
            f"          {pad_td}\n"
            f'          <td class="num row-total" {total_attr}>{total}</td>\n'
            "        </tr>\n        "
        )
    parts.append("\n      ")
    return mark_safe("".join(parts))  # noqa: S308 - every value written into it is escaped above


def _cell_texts() -> tuple[str, str, str]:
    """The cell's words in the page's language: (comment on cell %(label)s, comment, has a comment)."""
    return _("Ghi chú cho ô %(label)s"), escape(_("Ghi chú")), escape(_("có ghi chú"))


def cell_html(cell: GridCell, row: GridRow, editable: bool, texts: tuple[str, str, str] | None = None) -> SafeString:
    """One cell of the entry grid as a `<td>`: its input, its error slot and its comment box.

    Written here rather than by a template included once per cell (the grid's slowest part when it
    was one); the markup is the one the grid's script and the browser tests read.
    """
    on_cell, comment_word, has_comment = texts or _cell_texts()
    input_id = escape(cell.input_id)
    element, combo, label = escape(cell.element), escape(cell.combo), escape(cell.label)
    readonly = "" if editable else " readonly"
    css, inputmode = (" num", 'inputmode="decimal"') if row.numeric else ("", "")
    matrix = f' data-r="{escape(cell.r)}" data-c="{escape(cell.c)}"' if cell.r else ""
    is_open, marker = (" open", f'<span class="visually-hidden">{has_comment}</span>') if cell.comment else ("", "")
    return mark_safe(  # noqa: S308 - every value written into it is escaped above
        f'<td class="cell-td">\n'
        f'  <input class="cell{css}" type="text" {inputmode} id="{input_id}" name="v:{element}:{combo}"'
        f' value="{escape(cell.value)}"\n'
        f'         data-element="{element}" data-combo="{combo}" data-type="{escape(row.value_type)}"{matrix}'
        f' aria-label="{label}" aria-describedby="{input_id}-err" autocomplete="off"{readonly}>\n'
        f'  <span class="cell-error" id="{input_id}-err" role="alert"></span>\n'
        f'  <details class="cell-comment"{is_open}>\n'
        f'    <summary aria-label="{on_cell % {"label": label}}" title="{comment_word}">✎{marker}</summary>\n'
        f'    <label class="visually-hidden" for="{input_id}-c">{comment_word}</label>\n'
        f'    <textarea id="{input_id}-c" name="c:{element}:{combo}" rows="2" data-comment-for="{input_id}"'
        f"{readonly}>{escape(cell.comment)}</textarea>\n"
        "  </details>\n"
        "</td>\n"
    )


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


# --- the confirmation page of a workflow step -------------------------------------------------------


@dataclass
class Confirmation:
    action: str  # submit, approve, accept, return
    title: str
    button: str
    consequence: str
    after: str  # who acts after this step
    warnings: list[str] = field(default_factory=list)
    asks_reason: bool = False
    reason_label: str = ""


def confirmation(*, submission: Submission, action: str, language: str | None) -> Confirmation:
    """What the confirmation page says before a step: what the step does and who acts after it."""
    from vhttdl.reporting.services.workflow import children_not_approved, rule_failures

    probe = Submission(pk=submission.pk, form=submission.form, period=submission.period,
                       organisation=submission.organisation)
    if action == "submit":
        probe.status = Submission.Status.SUBMITTED
        return Confirmation(
            action, _("Nộp báo cáo?"), _("Nộp báo cáo"),
            _("Sau khi nộp, số liệu bị khóa; muốn sửa phải được cấp trên trả lại."),
            selectors.next_step(probe, language=language, people=False).text,
            warnings=[f.message(language) for f in rule_failures(submission)],
        )
    if action == "approve":
        probe.status = Submission.Status.APPROVED
        waiting = children_not_approved(submission)
        return Confirmation(
            action, _("Duyệt báo cáo?"), _("Duyệt"),
            _("Duyệt xác nhận số liệu của đơn vị là đúng; báo cáo được tính vào số liệu tổng hợp."),
            selectors.next_step(probe, language=language, people=False).text,
            warnings=[_("%(count)s đơn vị trực thuộc chưa được duyệt: %(names)s.")
                      % {"count": len(waiting), "names": ", ".join(u.display_name(language) for u in waiting[:10])}]
            if waiting else [],
        )
    if action == "accept":
        probe.status = Submission.Status.ACCEPTED
        return Confirmation(
            action, _("Bộ tiếp nhận báo cáo?"), _("Bộ tiếp nhận"),
            _("Tiếp nhận kết thúc quy trình; báo cáo được gửi lên Hệ thống thông tin báo cáo Chính phủ."),
            selectors.next_step(probe, language=language, people=False).text,
        )
    submitted = submission.status == Submission.Status.SUBMITTED
    probe.status = Submission.Status.RETURNED
    return Confirmation(
        action, _("Trả lại báo cáo?") if submitted else _("Mở lại báo cáo để sửa?"),
        _("Trả lại") if submitted else _("Mở lại"),
        _("Báo cáo trở về đơn vị để sửa và nộp lại; số liệu đã duyệt không còn được tính cho đến khi duyệt lại."),
        selectors.next_step(probe, language=language, people=False).text,
        asks_reason=True,
        reason_label=_("Lý do trả lại") if submitted else _("Lý do mở lại để sửa"),
    )


# --- numbers as the reader writes them ---------------------------------------------------------------

# (thousands mark, decimal mark) of each page language; the grid shows and reads numbers this way.
NUMBER_MARKS = {"vi": (".", ","), "en": (",", ".")}


def reader_number(stored: str, language: str | None) -> str:
    """A stored number ("1147390", "12.5") as the reader writes it ("1.147.390", "12,5" in Vietnamese)."""
    try:
        number = Decimal(stored)
    except (InvalidOperation, ValueError, TypeError):
        return stored
    if not number.is_finite():
        return stored
    return number_format(number, decimal_pos=None, use_l10n=True, force_grouping=True)


def canonical_number(text: str | None, language: str | None) -> str | None:
    """What a person typed in the reader's format ("1.500" on a Vietnamese page is one thousand five
    hundred) in the machine format the value rules read ("1500"). Other spellings pass unchanged, so
    `values.clean_value` still reads "1234.5" or "1 234" and names what it cannot read."""
    if text is None:
        return None
    thousands, decimal = NUMBER_MARKS.get((language or "vi")[:2], NUMBER_MARKS["vi"])
    compact = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    t, d = re.escape(thousands), re.escape(decimal)
    if re.fullmatch(rf"[+-]?\d{{1,3}}({t}\d{{3}})+({d}\d+)?", compact) or re.fullmatch(rf"[+-]?\d+{d}\d+", compact):
        return compact.replace(thousands, "").replace(decimal, ".")
    return text


def reader_cells(cells: list, version, language: str | None) -> list:
    """Grid cells with numbers typed in the reader's format made machine-readable (numeric elements only)."""
    from dataclasses import replace

    numeric = {e.code for e in version.data_elements.all() if e.is_numeric} if cells else set()
    return [
        replace(c, value=canonical_number(c.value, language)) if c.element in numeric and isinstance(c.value, str)
        else c
        for c in cells
    ]
