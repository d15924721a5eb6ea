"""Media checks: real images only, size limits, safe names, PDF signature, links; thumbnails."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.core.factories import person
from tests.heritage.factories import FestivalFactory, IntangibleFactory, SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.core.errors import InvalidInput
from vhttdl.heritage import media, services
from vhttdl.heritage.models import Media


def image_bytes(fmt="PNG", size=(800, 600), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 128 if mode in ("L", "1") else (10, 120, 200) + ((90,) if mode == "RGBA" else ())).save(
        out, fmt)
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_real_images_pass(fmt):
    checked = media.check_image(upload(f"anh.{fmt.lower()}", image_bytes(fmt)))
    assert checked.kind.label.upper() == fmt and (checked.width, checked.height) == (800, 600)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("anh.jpg", b"this is not an image at all", "not_an_image"),
        ("anh.png", image_bytes("PNG")[:200], "not_an_image"),  # truncated
        ("anh.jpg", b"%PDF-1.4\n...%%EOF", "not_an_image"),
        ("anh.exe", image_bytes("PNG"), "bad_extension"),
        ("anh.php.jpg", image_bytes("JPEG"), "unsafe_name"),
        ("anh<script>.png", image_bytes("PNG"), "unsafe_name"),
        (".htaccess.png", image_bytes("PNG"), "unsafe_name"),
        ("anh.png", b"", "empty_file"),
    ],
)
def test_bad_images_are_refused(name, content, code):
    with pytest.raises(InvalidInput) as exc:
        media.check_image(upload(name, content))
    assert exc.value.code == code


def test_a_200_mb_upload_is_refused_by_its_size_before_reading():
    big = upload("anh.jpg", image_bytes("JPEG"))
    big.size = 200 * 1024 * 1024
    with pytest.raises(InvalidInput) as exc:
        media.check_image(big)
    assert exc.value.code == "file_too_large" and "200.0 MB" in exc.value.message


def test_a_lying_size_is_caught_while_reading(settings):
    settings.HERITAGE_MAX_IMAGE_BYTES = 1000
    liar = upload("anh.png", image_bytes("PNG", size=(400, 400)))
    liar.size = 10
    with pytest.raises(InvalidInput) as exc:
        media.check_image(liar)
    assert exc.value.code == "file_too_large"


def test_decompression_bomb_is_refused():
    with pytest.raises(InvalidInput) as exc:
        media.check_image(upload("to.png", image_bytes("PNG", size=(8000, 8000), mode="1")))
    assert exc.value.code == "image_too_large"


def test_thumbnails_of_transparent_images_are_jpeg():
    small = media.thumbnail(image_bytes("PNG", size=(1000, 2000), mode="RGBA"), 320)
    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "JPEG" and image.size == (160, 320)


def test_pdf_documents():
    good = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert media.check_document(upload("hoso.pdf", good)).size == len(good)
    with pytest.raises(InvalidInput):
        media.check_document(upload("hoso.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(InvalidInput):
        media.check_document(upload("hoso.docx", good))
    big = upload("hoso.pdf", good)
    big.size = 200 * 1024 * 1024
    with pytest.raises(InvalidInput):
        media.check_document(big)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.vn/x", "không phải url", "", "http://" + "a" * 600]
)
def test_bad_links(url):
    with pytest.raises(InvalidInput):
        media.clean_link(url)


@pytest.mark.django_db
def test_media_services_for_each_kind_of_record(tree, media_root, django_capture_on_commit_callbacks):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = SiteFactory(organisation=tree.dept_a)
    item = services.media_add_image(actor=officer, record=site, upload=upload("a.jpg", image_bytes("JPEG")),
                                    caption="Ảnh", caption_en="Photo")
    paths = [media_root / n for n in (item.file.name, item.thumb_small.name, item.thumb_large.name)]
    assert all(p.exists() for p in paths)
    assert item.caption_in("en") == "Photo"
    doc = services.media_add_document(actor=officer, record=IntangibleFactory(organisation=tree.dept_a),
                                      upload=upload("h.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert doc.kind == Media.Kind.DOCUMENT
    link = services.media_add_link(actor=officer, record=FestivalFactory(organisation=tree.dept_a),
                                   kind=Media.Kind.VIDEO, url="https://video.example.vn/1")
    assert link.festival_id
    with django_capture_on_commit_callbacks(execute=True):
        services.media_delete(actor=officer, item=item)
    assert not any(p.exists() for p in paths)
    site.refresh_from_db()
    assert site.version == 3  # added, then removed


@pytest.mark.django_db
def test_media_of_another_province_is_refused(tree, media_root):
    from django.core.exceptions import PermissionDenied

    site = SiteFactory(organisation=tree.dept_b)
    with pytest.raises(PermissionDenied):
        services.media_add_image(actor=person(Role.DEPARTMENT_OFFICER, tree.dept_a), record=site,
                                 upload=upload("a.jpg", image_bytes("JPEG")))
    assert not Media.objects.exists()
    assert not list(media_root.rglob("*")) or not [p for p in media_root.rglob("*") if p.is_file()]
