"""Storage: STORAGE_URL parsed into Django's STORAGES; a round trip against moto's S3 server, in process."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.files.helpers import image_bytes
from vhttdl.core.files import storage
from vhttdl.core.files.storage import S3_BACKEND, storages_from_url


def test_storage_url_for_an_s3_compatible_server():
    parsed = storages_from_url("s3://AK%2F1:se%40cret@minio.internal:9000/vhttdl?region=ap-southeast-1&secure=0")
    public, private = parsed["default"], parsed["private"]
    assert public["BACKEND"] == private["BACKEND"] == S3_BACKEND
    options = public["OPTIONS"]
    assert options["access_key"] == "AK/1" and options["secret_key"] == "se@cret"
    assert options["endpoint_url"] == "http://minio.internal:9000" and options["bucket_name"] == "vhttdl"
    assert options["region_name"] == "ap-southeast-1" and options["addressing_style"] == "path"
    assert options["location"] == "media" and options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert private["OPTIONS"]["location"] == "private" and private["OPTIONS"]["querystring_auth"] is True


def test_storage_url_for_amazon_with_a_public_cdn():
    parsed = storages_from_url("s3://AK:SK@/bucket-1?signed=0&custom_domain=media.example.vn&prefix=anh")
    options = parsed["default"]["OPTIONS"]
    assert "endpoint_url" not in options and options["use_ssl"] is True
    assert options["querystring_auth"] is False and options["custom_domain"] == "media.example.vn"
    assert options["location"] == "anh"
    assert parsed["private"]["OPTIONS"]["querystring_auth"] is True  # import files are never public


@pytest.mark.parametrize(
    "url",
    ["http://a:b@host/bucket", "s3://a:b@host/", "s3://a:b@host/a/b", "s3://a:b@host/b?colour=red",
     "s3://a:b@host/b?secure=maybe"],
)
def test_bad_storage_urls_say_what_is_wrong(url):
    with pytest.raises(ImproperlyConfigured):
        storages_from_url(url)


@pytest.fixture
def s3(settings, monkeypatch):
    """moto's S3 server on a free loopback port, a bucket, and STORAGES pointing at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        boto3.client(
            "s3", endpoint_url=f"http://{host}:{port}", aws_access_key_id="test", aws_secret_access_key="test",
            region_name="us-east-1",
        ).create_bucket(Bucket="vhttdl")
        settings.STORAGES = {**settings.STORAGES,
                             **storages_from_url(f"s3://test:test@{host}:{port}/vhttdl?secure=0")}
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def test_round_trip_through_s3(s3):
    from django.core.files.storage import storages

    assert not storage.is_local()
    name = storage.store_bytes(b"xin ch\xc3\xa0o", "heritage/media/2026/01/abc.txt")
    assert name == "heritage/media/2026/01/abc.txt"
    assert storage.read_bytes(name) == "xin chào".encode()
    url = storages["default"].url(name)
    assert url.startswith(f"{s3}/vhttdl/media/heritage/media/2026/01/abc.txt") and "Signature" in url
    private = storage.store_bytes(b"secret", "imports/a.csv", alias=storage.PRIVATE)
    assert storage.read_bytes(private, alias=storage.PRIVATE) == b"secret"
    with pytest.raises(OSError):
        storage.read_bytes(private)  # the public storage does not see the private folder
    storage.delete_files([name, "not/there.txt"])
    assert not storages["default"].exists(name)


@pytest.mark.django_db
def test_heritage_media_lands_in_the_bucket(s3, tree):
    from django.core.files.storage import storages

    from tests.core.factories import person
    from tests.heritage.factories import SiteFactory
    from vhttdl.core.accounts.roles import Role
    from vhttdl.heritage import services

    site = SiteFactory(organisation=tree.dept_a, province=tree.area_a)
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    item = services.media_add_image(actor=officer, record=site,
                                    upload=SimpleUploadedFile("den.png", image_bytes("PNG", (1200, 800))))
    bucket = storages["default"]
    assert all(bucket.exists(f.name) for f in (item.file, item.thumb_small, item.thumb_large))
    assert item.file.url.startswith(s3)
