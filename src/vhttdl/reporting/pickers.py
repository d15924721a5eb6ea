"""The options of the reporting pages' pickers (periods by name, units), written as HTML here rather
than by template loops, which were a good part of those pages' time. Imports nothing of the app, so
every part of it (analytics included) can use it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def period_options(groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], selected: str) -> SafeString:
    """The `<optgroup>`s of a period picker, `selected` chosen (analytics' `period_choices`, the report
    list's `selectors.report_periods`, completeness' `period_picker`). Written here rather than by the
    template's loops, which were a good part of those pages' time."""
    parts = []
    for year, options in groups:
        parts.append(f'<optgroup label="{escape(year)}">')
        parts.extend(f'<option value="{escape(code)}"{" selected" if code == selected else ""}>{escape(label)}</option>'
                     for code, label in options)
        parts.append("</optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value written into it is escaped


def unit_options(units: list[Any], selected: Any, language: str | None) -> SafeString:
    """The `<option>`s of a unit picker, `selected` (a unit or None) chosen; a closed unit says until when."""
    until = escape(_("đến"))
    parts = []
    for unit in units:
        closed = f" ({until} {escape(date_format(unit.valid_to, 'SHORT_DATE_FORMAT'))})" if unit.valid_to else ""
        mark = " selected" if selected is not None and unit.pk == selected.pk else ""
        name = escape(unit.display_name(language))
        parts.append(f'<option value="{escape(unit.code)}"{mark}>{name}{closed}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value written into it is escaped
