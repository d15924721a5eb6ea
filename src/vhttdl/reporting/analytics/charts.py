"""Bar and line charts drawn as SVG on the server: no JavaScript library, no CDN, printable.

Readable by construction: bars run sideways so every unit's name is written out in full width at
the left (the full name in a tooltip when it must be cut); numbers on the axes are in the reader's
format and the last one is anchored inside the drawing; a line chart's legend names every series
(in HTML under the chart, so it wraps on a phone); and every chart comes with the same figures as a
table for those who cannot see it. Colours are SVG presentation attributes and sizes are classes:
no style attribute, so the charts hold under a strict Content-Security-Policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe, AA contrast on white (the legend's swatches use the same order, see analytics.css).
PALETTE = ["#1d4e89", "#a4161a", "#2a7d4f", "#b35c00", "#6a3d9a", "#00798c", "#7f4f24", "#c9184a"]
WIDTH = 760
LABEL_CHARS = 30  # a bar's label is cut past this many characters (the tooltip has it all)
BAR_ROW = 24
BAR_LABEL_WIDTH = 200
LINE_HEIGHT = 340
LEFT, RIGHT, TOP = 80, 30, 16


@dataclass
class Chart:
    """An SVG chart, its legend (colour index, name) and its figures as a table."""

    svg: SafeString
    title: str
    legend: list[tuple[int, str]] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (the axis end)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude + 1e-9:
            return step * magnitude
    return 10 * magnitude


def fmt(value: float | None) -> str:
    """A number in the reader's format (1.147.390 / 1,147,390), at most two decimals."""
    if value is None:
        return "–"
    rounded = round(value, 2)
    if rounded == int(rounded):
        rounded = int(rounded)
    return number_format(rounded, decimal_pos=None, use_l10n=True, force_grouping=True)


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(title: str, width: float, height: float, parts: list[str], css: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in `parts` is escaped where it is made
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" class="chart-svg {css}" '
        f'role="img" aria-label="{escape(title)}" font-family="inherit" font-size="12"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def bar_chart(items: list[tuple[str, str, float]], title: str, value_label: str = "") -> Chart:
    """Horizontal bars, one per (short label, full label, value), in the order given."""
    plot_left = BAR_LABEL_WIDTH
    plot_w = WIDTH - plot_left - RIGHT - 50  # room at the right for the value written after the bar
    height = TOP + len(items) * BAR_ROW + 34
    top_value = nice_max(max((v for _s, _f, v in items), default=0))
    parts = []
    for i in range(5):
        x = plot_left + plot_w * i / 4
        anchor = "end" if i == 4 else ("start" if i == 0 else "middle")
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - 28}" stroke="#d5d8de"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" text-anchor="{anchor}" fill="#333">'
                     f"{escape(fmt(top_value * i / 4))}</text>")
    for index, (short, full, value) in enumerate(items):
        y = TOP + index * BAR_ROW
        w = plot_w * (value / top_value) if top_value else 0
        parts.append(f'<text x="{plot_left - 8}" y="{y + BAR_ROW / 2 + 4:.1f}" text-anchor="end" fill="#222">'
                     f"<title>{escape(full)}</title>{escape(_cut(short))}</text>")
        parts.append(f'<rect x="{plot_left}" y="{y + 4}" width="{max(w, 0):.1f}" height="{BAR_ROW - 8}" '
                     f'fill="{PALETTE[0]}"><title>{escape(full)}: {escape(fmt(value))}</title></rect>')
        parts.append(f'<text x="{plot_left + w + 5:.1f}" y="{y + BAR_ROW / 2 + 4:.1f}" fill="#222">'
                     f"{escape(fmt(value))}</text>")
    parts.append(f'<line x1="{plot_left}" x2="{plot_left}" y1="{TOP}" y2="{height - 28}" stroke="#555"/>')
    return Chart(
        _svg(title, WIDTH, height, parts, "bar"),
        title,
        table_head=["", value_label],
        table_rows=[[full, fmt(value)] for _short, full, value in items],
    )


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]], title: str) -> Chart:
    """One line per (name, values over `labels`), the legend naming each line under the chart."""
    longest = max((len(label) for label in labels), default=0)
    bottom = 30 + min(longest, 18) * 5  # room for the slanted period labels
    height = LINE_HEIGHT
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - bottom
    values = [v for _name, vs in series for v in vs if v is not None]
    top_value = nice_max(max(values, default=0))
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    parts = []
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5d8de"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
                     f"{escape(fmt(top_value * i / 4))}</text>")
    for i, label in enumerate(labels):
        x = LEFT + i * step
        parts.append(f'<text transform="translate({x:.1f},{TOP + plot_h + 14}) rotate(-40)" text-anchor="end" '
                     f'fill="#333">{escape(_cut(label, 18))}</text>')
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [(LEFT + i * step, TOP + plot_h - plot_h * (v / top_value), v) for i, v in enumerate(vs)
                  if v is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, v in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                         f"<title>{escape(name)}: {escape(fmt(v))}</title></circle>")
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#555"/>')
    return Chart(
        _svg(title, WIDTH, height, parts, "line"),
        title,
        legend=[(s % len(PALETTE), name) for s, (name, _vs) in enumerate(series)],
        table_head=["", *labels],
        table_rows=[[name, *[fmt(v) for v in vs]] for name, vs in series],
    )
