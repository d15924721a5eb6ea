"""Bar and line charts drawn as inline SVG on the server: no JavaScript library, no CDN, printable."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#a4161a", "#1d4e89", "#2a7d4f", "#b35c00", "#6a3d9a", "#00798c", "#7f4f24", "#c9184a"]
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 90


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return number_format(round(value, 2), decimal_pos=None, use_l10n=True, force_grouping=True)


def _axis(max_value: float, plot_h: float) -> list[str]:
    parts = []
    for i in range(5):
        v = max_value * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">'
                     f"{escape(_fmt(v))}</text>")
    return parts


def _label(x: float, text: str) -> str:
    short = text if len(text) <= 22 else text[:21] + "…"
    return (f'<text transform="translate({x:.1f},{HEIGHT - BOTTOM + 12}) rotate(40)" font-size="11" '
            f'fill="#333">{escape(short)}</text>')


def bar_chart(labels: list[str], values: list[float], title: str) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    max_value = _nice_max(max(values, default=0))
    n = max(len(values), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 60), 2)
    parts = _axis(max_value, plot_h)
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        h = plot_h * (value / max_value) if max_value else 0
        x = LEFT + i * slot + (slot - bar) / 2
        y = TOP + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
                     f"<title>{escape(label)}: {escape(_fmt(value))}</title></rect>")
        parts.append(_label(x + bar / 2, label))
    return _svg(title, parts)


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]], title: str) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    all_values = [v for _name, vs in series for v in vs if v is not None]
    max_value = _nice_max(max(all_values, default=0))
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    parts = _axis(max_value, plot_h)
    for i, label in enumerate(labels):
        parts.append(_label(LEFT + i * step, label))
    legend_y = TOP
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = [(LEFT + i * step, TOP + plot_h - plot_h * (v / max_value)) for i, v in enumerate(vs) if v is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for (x, y), v in zip(points, [v for v in vs if v is not None], strict=False):
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                             f"<title>{escape(name)}: {escape(_fmt(v))}</title></circle>")
        parts.append(f'<rect x="{WIDTH - RIGHT - 170}" y="{legend_y}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT - 155}" y="{legend_y + 9}" font-size="11" fill="#222">'
                     f"{escape(name[:26])}</text>")
        legend_y += 14
    return _svg(title, parts)


def _svg(title: str, parts: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart-svg">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#555"/>'
        + "".join(parts)
        + "</svg>"
    )
