"""Public media served by the app when SERVE_MEDIA is on (the demo); private import files never."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.files.helpers import image_bytes
from vhttdl.core.files import storage


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    return tmp_path


def test_media_is_served_with_debug_off_and_safe_headers(client, settings, roots):
    assert settings.SERVE_MEDIA and not settings.DEBUG
    name = storage.store_bytes(image_bytes(), "heritage/media/2026/01/anh.png")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == image_bytes()
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert "max-age" in response["Cache-Control"]


def test_other_files_download_rather_than_open(client, roots):
    name = storage.store_bytes(b"<script>alert(1)</script>", "heritage/media/2026/01/x.html")
    response = client.get(f"/media/{name}")
    assert response["Content-Disposition"] == "attachment" and "sandbox" in response["Content-Security-Policy"]


def test_private_files_and_paths_outside_are_not_served(client, roots):
    private = storage.store_bytes(b"secret", "imports/a.csv", alias=storage.PRIVATE)
    assert client.get(f"/media/{private}").status_code == 404
    assert client.get("/media/../private/" + private).status_code == 404
    assert client.get(reverse("media", args=["does/not/exist.png"])).status_code == 404


def test_media_is_not_served_when_turned_off(client, settings, roots):
    name = storage.store_bytes(image_bytes(), "a/b.png")
    settings.SERVE_MEDIA = False
    assert client.get(f"/media/{name}").status_code == 404
