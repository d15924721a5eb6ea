"""The one upload path: names, sizes, type by content, pixel and archive limits, each refused clearly."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.files.helpers import image_bytes, png_declaring, with_extra_entry, workbook_bytes
from vhttdl.core.errors import InvalidInput
from vhttdl.core.files.archives import ArchiveLimits
from vhttdl.core.files.checks import check_upload
from vhttdl.core.files.images import header_size
from vhttdl.core.files.kinds import IMAGE_KINDS, sniff
from vhttdl.core.files.names import stored_name

MB = 1024 * 1024


def refused(content, name, accept, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as exc:
        check_upload(SimpleUploadedFile(name, content), accept=accept, max_bytes=kwargs.pop("max_bytes", 5 * MB),
                     **kwargs)
    return exc.value


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_each_image_kind_is_known_by_its_bytes_and_header(fmt):
    content = image_bytes(fmt, (640, 480))
    kind = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp", "GIF": "gif"}[fmt]
    assert sniff(content) == kind and header_size(kind, content) == (640, 480)
    checked = check_upload(SimpleUploadedFile("anh.jpg", content), accept=IMAGE_KINDS, max_bytes=MB)
    assert checked.kind.code == kind and (checked.width, checked.height) == (640, 480)


def test_a_program_renamed_as_png_is_not_an_image():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    error = refused(exe, "anh.png", IMAGE_KINDS)
    assert error.code == "not_an_image" and "anh.png" in error.message
    assert "EXE" in error.details["found"]


def test_a_pixel_bomb_is_too_large_not_not_an_image():
    bomb = png_declaring(40_000, 40_000)
    assert len(bomb) < 2000
    started = time.perf_counter()
    error = refused(bomb, "ban-do.png", IMAGE_KINDS)
    assert error.code == "image_too_large" and "quá lớn" in error.message and "40.000 × 40.000" in error.message
    assert error.details == {"width": 40_000, "height": 40_000, "max_pixels": 60_000_000}
    assert time.perf_counter() - started < 5  # refused from the header: nothing decoded


def test_the_pixel_limit_is_a_setting_and_pillows_guard_stays_on(settings):
    settings.FILES_MAX_IMAGE_PIXELS = 100 * 100
    assert refused(image_bytes("PNG", (101, 100)), "a.png", IMAGE_KINDS).code == "image_too_large"
    assert check_upload(image_bytes("PNG", (100, 100)), name="a.png", accept=IMAGE_KINDS, max_bytes=MB).width == 100


def test_a_truncated_image_or_a_header_that_lies_is_not_an_image():
    assert refused(image_bytes("PNG", (300, 300))[:120], "a.png", IMAGE_KINDS).code == "not_an_image"
    assert refused(png_declaring(300, 200), "a.png", IMAGE_KINDS).code == "not_an_image"  # pixels missing


def test_size_limits_declared_and_actual():
    big = SimpleUploadedFile("a.png", image_bytes())
    big.size = 200 * MB
    with pytest.raises(InvalidInput) as exc:
        check_upload(big, accept=IMAGE_KINDS, max_bytes=10 * MB)
    assert exc.value.code == "file_too_large" and "200.0 MB" in exc.value.message and "10 MB" in exc.value.message
    liar = SimpleUploadedFile("a.png", image_bytes(size=(400, 400)))
    liar.size = 10
    with pytest.raises(InvalidInput) as exc:
        check_upload(liar, accept=IMAGE_KINDS, max_bytes=500)
    assert exc.value.code == "file_too_large"
    assert refused(b"", "a.png", IMAGE_KINDS).code == "empty_file"


@pytest.mark.parametrize(
    ("name", "code"),
    [("a.exe", "bad_extension"), ("a.php.png", "unsafe_name"), ("../a.png", "unsafe_name"),
     ("a\x00.png", "unsafe_name"), (".htaccess.png", "unsafe_name"), ("a" * 200 + ".png", "unsafe_name"),
     ("", "unsafe_name")],
)
def test_unsafe_names_are_refused(name, code):
    with pytest.raises(InvalidInput) as exc:
        check_upload(image_bytes(), name=name, accept=IMAGE_KINDS, max_bytes=MB)
    assert exc.value.code == code


def test_the_name_must_agree_with_the_content_outside_images():
    error = refused(b"code,name\n1,2\n", "ds.xlsx", {"csv", "xlsx"})
    assert error.code == "wrong_type" and "Excel" in error.message and "CSV" in error.message
    assert check_upload(b"code,name\n1,2\n", name="ds.csv", accept={"csv", "xlsx"}, max_bytes=MB).kind.code == "csv"


def test_pdf_must_be_whole():
    assert check_upload(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", name="h.pdf", accept={"pdf"}, max_bytes=MB).size
    assert refused(b"%PDF-1.7\n1 0 obj<<>>endobj\n" + b"x" * 5000, "h.pdf", {"pdf"}).code == "not_a_pdf"


def test_stored_names_say_nothing_of_the_original():
    name = stored_name("heritage/media", "png")
    assert name.startswith("heritage/media/") and name.endswith(".png") and len(name.rsplit("/", 1)[1]) == 36


# --- archives ----------------------------------------------------------------------------------


def test_a_workbook_bomb_is_refused_before_parsing(settings):
    settings.FILES_MAX_UNPACKED_BYTES = 4 * MB
    bomb = with_extra_entry(workbook_bytes([["code", "name"]]), "xl/media/padding.bin", 8 * MB)
    assert len(bomb) < MB // 4  # a small file that unpacks to more than twice the limit
    error = refused(bomb, "ds.xlsx", {"xlsx"})
    assert error.code == "archive_too_large" and "giải nén" in error.message
    assert error.details["unpacked_bytes"] > 8 * MB


def test_shared_strings_and_entry_count_have_their_own_limits():
    content = with_extra_entry(workbook_bytes([["a"]]), "xl/sharedStrings.xml", 3 * MB)
    limits = ArchiveLimits(max_entries=1000, max_unpacked_bytes=100 * MB, max_shared_strings_bytes=2 * MB)
    assert refused(content, "a.xlsx", {"xlsx"}, archive_limits=limits).code == "shared_strings_too_large"
    limits = ArchiveLimits(max_entries=3, max_unpacked_bytes=100 * MB, max_shared_strings_bytes=100 * MB)
    assert refused(content, "a.xlsx", {"xlsx"}, archive_limits=limits).code == "archive_too_many_entries"
    assert check_upload(content, name="a.xlsx", accept={"xlsx"}, max_bytes=MB).kind.code == "xlsx"


def test_a_broken_zip_is_corrupted_not_an_error():
    error = refused(b"PK\x03\x04" + b"garbage" * 20, "a.xlsx", {"xlsx"})
    assert error.code == "wrong_type"  # not a workbook: its directory cannot even be read


def test_refusals_read_in_english_too():
    from django.utils import translation

    with translation.override("en"):
        error = refused(png_declaring(40_000, 40_000), "map.png", IMAGE_KINDS)
    assert error.message.startswith("The image is too large: 40,000 × 40,000 pixels")
