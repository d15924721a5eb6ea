"""Images: dimensions read from the header first, then decoded under Pillow's bomb guard.

A picture's width and height are in its first bytes (PNG's IHDR, GIF's screen descriptor, WebP's
VP8/VP8L/VP8X header, JPEG's SOF segment). They are read and checked against
`FILES_MAX_IMAGE_PIXELS` *before* anything is decoded, so a 40,000 × 40,000 PNG of a few kilobytes
is refused at once as too large instead of taking gigabytes of memory (or being called "not an
image"). Only then does Pillow open, verify and fully decode it, with its own decompression-bomb
guard turned into an error: a second line behind the header check.
"""

from __future__ import annotations

import io
import struct
import warnings

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

DEFAULT_MAX_PIXELS = 60_000_000  # about 9,500 × 6,300: any photograph, not a bomb
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def max_pixels() -> int:
    return int(getattr(settings, "FILES_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    position, end = 2, min(len(content), 1024 * 1024)
    while position + 4 <= end:
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # no length
            position += 2
            continue
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        if marker in _JPEG_SOF:
            if position + 9 > len(content):
                return None
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:  # end of image, or scan data before any frame header
            return None
        position += 2 + length
    return None


def _webp_size(content: bytes) -> tuple[int, int] | None:
    chunk = content[12:16]
    if chunk == b"VP8 " and len(content) >= 30:
        width, height = struct.unpack("<HH", content[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(content) >= 25:
        bits = int.from_bytes(content[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(content) >= 30:
        return int.from_bytes(content[24:27], "little") + 1, int.from_bytes(content[27:30], "little") + 1
    return None


def header_size(kind: str, content: bytes) -> tuple[int, int] | None:
    """(width, height) as the file's header declares them, without decoding; None if unreadable."""
    if kind == "png" and len(content) >= 24 and content[12:16] == b"IHDR":
        return struct.unpack(">II", content[16:24])
    if kind == "gif" and len(content) >= 10:
        return struct.unpack("<HH", content[6:10])
    if kind == "webp":
        return _webp_size(content)
    if kind == "jpeg":
        return _jpeg_size(content)
    return None


def too_large(width: int, height: int) -> InvalidInput:
    limit = max_pixels()
    return InvalidInput(
        _("Ảnh quá lớn: %(w)s × %(h)s điểm ảnh (tối đa %(limit)s triệu điểm ảnh). Hãy thu nhỏ ảnh rồi tải lên lại.")
        % {"w": number_format(width, force_grouping=True), "h": number_format(height, force_grouping=True),
           "limit": number_format(limit // 1_000_000 if limit % 1_000_000 == 0 else limit / 1_000_000,
                                  force_grouping=True)},
        code="image_too_large",
        details={"width": width, "height": height, "max_pixels": limit},
    )


def check_image(kind: str, content: bytes, *, not_image: InvalidInput) -> tuple[int, int]:
    """(width, height) of an image whose bytes say it is `kind`; InvalidInput if too large or broken."""
    from PIL import Image, UnidentifiedImageError

    size = header_size(kind, content)
    if size is None or min(size) <= 0:
        raise not_image
    width, height = size
    if width * height > max_pixels():
        raise too_large(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format != _PIL_FORMATS[kind] or probe.size != (width, height):
                    raise not_image
                probe.verify()
            with Image.open(io.BytesIO(content)) as full:
                full.load()  # a truncated or corrupt file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large(width, height) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise not_image from exc
    return width, height


def thumbnail(content: bytes, size: int) -> bytes:
    """A JPEG no larger than `size` × `size`, turned upright (EXIF), transparency on white."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(content)) as opened:
        image: Image.Image = ImageOps.exif_transpose(opened)
        image.thumbnail((size, size))
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()
