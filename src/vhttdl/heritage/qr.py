"""Printable QR boards for a site (SVG and PDF): name, rank, a short text and a QR code that
opens the site's public page.

The QR code comes from `segno`; both formats draw its modules as vector squares so the board
prints sharp at any size. The PDF embeds Source Sans Pro (shipped by the `font-source-sans-pro`
wheel, full Vietnamese coverage), so nothing is fetched at run time and no system font is needed.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.http import HttpRequest

BRAND_RED = "#a4161a"
PAGE_SIZES_MM = {"a5": (148.0, 210.0), "a4": (210.0, 297.0)}
SHORT_TEXT_CHARS = 320


@dataclass(frozen=True)
class Board:
    """What a board shows; built by the view from a published site."""

    title: str
    rank: str
    text: str
    url: str
    code: str
    footer: str


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute URL for a QR code: PUBLIC_BASE_URL when set, else the request's host."""
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def short_text(text: str, limit: int = SHORT_TEXT_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), without the quiet zone; error correction level M."""
    code = segno.make_qr(url, error="m", boost_error=False)
    return [[bool(cell) for cell in row] for row in code.matrix]


def _size(size: str) -> tuple[float, float]:
    return PAGE_SIZES_MM.get(size, PAGE_SIZES_MM["a5"])


# --- SVG ---------------------------------------------------------------------------------------


def _svg_qr_path(matrix: list[list[bool]]) -> str:
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start},{y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(parts)


def _svg_lines(lines: list[str], x: float, y: float, size: float, line_height: float, *,
               weight: str = "normal", fill: str = "#1b1b1b", anchor: str = "middle") -> str:
    out = []
    for index, line in enumerate(lines):
        out.append(
            f'<text x="{x:.1f}" y="{y + index * line_height:.1f}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}" text-anchor="{anchor}">{escape(line)}</text>'
        )
    return "".join(out)


def board_svg(board: Board, size: str = "a5") -> str:
    """The board as a standalone SVG document in millimetres (A5 or A4 portrait)."""
    width, height = _size(size)
    scale = width / 148.0  # layouts are designed for A5 and scaled for A4
    margin = 10 * scale
    matrix = qr_matrix(board.url)
    modules = len(matrix)
    qr_side = min(width - 2 * margin, height * 0.45)
    qr_x, qr_y = (width - qr_side) / 2, height * 0.36
    module = qr_side / (modules + 8)  # 4-module quiet zone each side
    title_lines = textwrap.wrap(board.title, 30)[:3]
    text_lines = textwrap.wrap(board.text, 62)[:6]
    band = 22 * scale + 8 * scale * (len(title_lines) - 1)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
        f'viewBox="0 0 {width} {height}" font-family="\'Source Sans Pro\', \'Noto Sans\', \'DejaVu Sans\', '
        f'Arial, sans-serif" role="img" aria-label="{escape(board.title, {chr(34): "&quot;"})}">',
        f"<title>{escape(board.title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<rect width="{width}" height="{band:.1f}" fill="{BRAND_RED}"/>',
        _svg_lines(title_lines, width / 2, 11 * scale, 7.5 * scale, 8 * scale, weight="bold", fill="#ffffff"),
        _svg_lines([board.rank], width / 2, band + 9 * scale, 5 * scale, 6 * scale, weight="bold",
                   fill=BRAND_RED),
        _svg_lines(text_lines, width / 2, band + 17 * scale, 3.6 * scale, 4.8 * scale),
        f'<g transform="translate({qr_x + 4 * module:.3f},{qr_y + 4 * module:.3f}) scale({module:.4f})">'
        f'<path d="{_svg_qr_path(matrix)}" fill="#000000"/></g>',
        _svg_lines([board.footer], width / 2, qr_y + qr_side + 8 * scale, 4 * scale, 5 * scale,
                   weight="bold"),
        _svg_lines([board.url], width / 2, qr_y + qr_side + 14 * scale, 3 * scale, 4 * scale, fill="#444444"),
        _svg_lines([board.code], width - margin, height - margin / 2, 2.8 * scale, 3 * scale, fill="#666666",
                   anchor="end"),
        "</svg>",
    ]
    return "".join(parts)


# --- PDF ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pdf_fonts() -> tuple[str, str]:
    """Register Source Sans Pro (regular, bold) with reportlab once per process."""
    import font_source_sans_pro
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(font_source_sans_pro.__file__).parent / "files"
    pdfmetrics.registerFont(TTFont("VhSans", str(folder / "SourceSansPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("VhSans-Bold", str(folder / "SourceSansPro-Bold.ttf")))
    return "VhSans", "VhSans-Bold"


def board_pdf(board: Board, size: str = "a5") -> bytes:
    """The board as a one-page PDF (A5 or A4 portrait) with embedded fonts."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    regular, bold = _pdf_fonts()
    width_mm, height_mm = _size(size)
    width, height = width_mm * mm, height_mm * mm
    scale = width_mm / 148.0
    margin = 10 * mm * scale
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(board.title)
    pdf.setAuthor("VHTTDL")
    pdf.setSubject(board.url)

    title_size = 20 * scale
    title_lines = simpleSplit(board.title, bold, title_size, width - 2 * margin)[:3]
    band = (16 * mm + len(title_lines) * title_size * 1.15) * 1.0
    pdf.setFillColor(HexColor(BRAND_RED))
    pdf.rect(0, height - band, width, band, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont(bold, title_size)
    y = height - 8 * mm - title_size
    for line in title_lines:
        pdf.drawCentredString(width / 2, y, line)
        y -= title_size * 1.15

    y = height - band - 9 * mm * scale
    pdf.setFillColor(HexColor(BRAND_RED))
    pdf.setFont(bold, 14 * scale)
    pdf.drawCentredString(width / 2, y, board.rank)

    body_size = 10.5 * scale
    pdf.setFillColor(HexColor("#1b1b1b"))
    pdf.setFont(regular, body_size)
    y -= 8 * mm * scale
    for line in simpleSplit(board.text, regular, body_size, width - 2 * margin)[:7]:
        pdf.drawCentredString(width / 2, y, line)
        y -= body_size * 1.35

    matrix = qr_matrix(board.url)
    modules = len(matrix)
    qr_side = min(width - 2 * margin, height * 0.42, y - 30 * mm * scale)
    module = qr_side / (modules + 8)
    left = (width - qr_side) / 2 + 4 * module
    top = y - 4 * mm * scale - 4 * module
    pdf.setFillColor(HexColor("#000000"))
    for row_index, row in enumerate(matrix):
        x = 0
        while x < modules:
            if row[x]:
                start = x
                while x < modules and row[x]:
                    x += 1
                pdf.rect(left + start * module, top - (row_index + 1) * module, (x - start) * module, module,
                         stroke=0, fill=1)
            else:
                x += 1
    y = top - modules * module - 4 * module - 6 * mm * scale
    pdf.setFillColor(HexColor("#1b1b1b"))
    pdf.setFont(bold, 12 * scale)
    pdf.drawCentredString(width / 2, y, board.footer)
    pdf.setFont(regular, 8.5 * scale)
    pdf.setFillColor(HexColor("#444444"))
    pdf.drawCentredString(width / 2, y - 14 * scale, board.url)
    pdf.setFont(regular, 7.5 * scale)
    pdf.setFillColor(HexColor("#666666"))
    pdf.drawRightString(width - margin, margin / 2, board.code)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
