"""QR boards: the code decodes to the site's public URL; SVG and PDF carry the Vietnamese texts."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno

from vhttdl.heritage import qr

BOARD = qr.Board(
    title="Khu di tích lịch sử Đền Hùng",
    rank="Di tích quốc gia đặc biệt",
    text="Nơi thờ các Vua Hùng, những người có công dựng nước. " * 12,
    url="https://disan.example.vn/heritage/sites/DT-PT-001/",
    code="DT-PT-001",
    footer="Quét mã để xem thông tin di tích",
)


def test_matrix_is_the_segno_code_of_the_url():
    matrix = qr.qr_matrix(BOARD.url)
    expected = segno.make_qr(BOARD.url, error="m", boost_error=False)
    assert len(matrix) == expected.symbol_size(border=0)[0]
    assert matrix == [[bool(cell) for cell in row] for row in expected.matrix]


def test_svg_board_is_valid_xml_with_texts_and_every_dark_module():
    svg = qr.board_svg(BOARD, "a5")
    root = ET.fromstring(svg.encode())  # noqa: S314 - our own output
    assert root.attrib["width"] == "148.0mm" and root.attrib["height"] == "210.0mm"
    texts = "".join(el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Khu di tích lịch sử Đền Hùng" in texts
    assert "Di tích quốc gia đặc biệt" in texts
    assert BOARD.url in texts
    path = next(el for el in root.iter("{http://www.w3.org/2000/svg}path"))
    dark = sum(int(run) for run in re.findall(r"h(\d+)", path.attrib["d"]))
    assert dark == sum(cell for row in qr.qr_matrix(BOARD.url) for cell in row)


def test_svg_escapes_markup_in_texts():
    board = qr.Board(title='<script>alert("x")</script> & Đình', rank="r", text="t", url="https://x.vn/a?b=1&c=2",
                     code="C", footer="f")
    svg = qr.board_svg(board)
    assert "<script>" not in svg
    ET.fromstring(svg.encode())  # noqa: S314 - our own output, still well-formed


@pytest.mark.parametrize(("size", "points"), [("a5", (419.5, 595.3)), ("a4", (595.3, 841.9))])
def test_pdf_board_page_size_and_embedded_font(size, points):
    pdf = qr.board_pdf(BOARD, size)
    assert pdf.startswith(b"%PDF-")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(points[0], abs=0.5)
    assert float(box.group(2)) == pytest.approx(points[1], abs=0.5)
    assert b"SourceSansPro" in pdf  # the Vietnamese-capable font is embedded, not a system font


def test_pdf_text_is_extractable_in_vietnamese():
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(qr.board_pdf(BOARD)))
    text = reader.pages[0].extract_text()
    assert "Đền Hùng" in text
    assert "quốc gia đặc biệt" in text


def test_short_text_cuts_at_a_word():
    text = qr.short_text("một hai ba " * 100, limit=40)
    assert len(text) <= 41 and text.endswith("…")
    assert qr.short_text("  ngắn   gọn ") == "ngắn gọn"


def test_public_url_prefers_the_configured_base(settings, rf):
    settings.PUBLIC_BASE_URL = "https://disan.gov.vn/"
    assert qr.public_url("/heritage/sites/X/") == "https://disan.gov.vn/heritage/sites/X/"
    settings.PUBLIC_BASE_URL = ""
    request = rf.get("/", HTTP_HOST="testserver")
    assert qr.public_url("/heritage/sites/X/", request) == "http://testserver/heritage/sites/X/"
