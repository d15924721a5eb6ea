"""The strict Content-Security-Policy: on every response, and nothing in the templates that it would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vhttdl

pytestmark = pytest.mark.django_db

SOURCE = Path(vhttdl.__file__).resolve().parent


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/heritage/", "/heritage/festivals/", "/api/v1/openapi.json",
                                  "/api/v1/docs", "/khong-co-trang-nay/", "/healthz"])
def test_every_response_carries_the_strict_policy(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(("tile_url", "origin"), [
    ("https://tiles.example.vn/{z}/{x}/{y}.png", "https://tiles.example.vn"),
    ("https://{s}.tile.example.vn:8443/{z}/{x}/{y}.png", "https://*.tile.example.vn:8443"),
])
def test_the_tile_server_is_the_one_other_origin_for_images(client, settings, tile_url, origin):
    settings.MAP_TILE_URL = tile_url
    policy = _directives(client.get("/heritage/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "blob:", origin]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]


INLINE = [
    (re.compile(r"<[a-zA-Z][^<>]*\sstyle\s*=", re.S), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", re.S), "event handler attribute"),
    (re.compile(r"href\s*=\s*[\"']javascript:", re.I), "javascript: link"),
]
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>", re.I)


def test_no_template_holds_what_the_policy_blocks():
    problems = []
    for path in sorted(SOURCE.rglob("templates/**/*.html")):
        text = path.read_text("utf-8")
        for pattern, what in INLINE:
            if pattern.search(text):
                problems.append(f"{path.relative_to(SOURCE)}: {what}")
        for match in SCRIPT.finditer(text):
            attrs = match.group("attrs")
            if "src=" not in attrs and "application/ld+json" not in attrs and "application/json" not in attrs:
                problems.append(f"{path.relative_to(SOURCE)}: inline <script>")
    assert problems == []


def test_no_static_script_writes_inline_styles():
    """`el.style.x = ...` is allowed by the CSP; a style="..." written into HTML is not."""
    problems = []
    for path in sorted(SOURCE.rglob("static/**/*.js")):
        text = path.read_text("utf-8")
        if re.search(r"style=[\\'\"]", text) or "setAttribute(\"style\"" in text or "setAttribute('style'" in text:
            problems.append(str(path.relative_to(SOURCE)))
    assert problems == []


def test_html_and_svg_built_in_python_use_no_style_attribute():
    """Charts and fragments made in Python (reporting analytics' SVG): presentation attributes or classes."""
    problems = [str(path.relative_to(SOURCE)) for path in sorted(SOURCE.rglob("*.py"))
                if re.search(r"""\sstyle=(\\?["'])""", path.read_text("utf-8"))]
    assert problems == []


def test_api_docs_come_from_our_static_files(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "/static/ninja/swagger-ui.css" in body
    assert "cdn" not in body.lower() and "https://" not in body
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
