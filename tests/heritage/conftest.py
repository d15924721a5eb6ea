"""Heritage fixtures: a fresh map index per test, a tree with communes, throw-away media and private roots."""

from __future__ import annotations

import pytest

from vhttdl.heritage.portal import pointindex


@pytest.fixture(autouse=True)
def _fresh_point_index():
    """Rolled-back tests reuse ids, so the map's in-memory index must not outlive a test."""
    pointindex.clear()
    yield
    pointindex.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}
    return tmp_path / "media"


@pytest.fixture
def places(tree):
    """Two communes of province A (81) and one of province B (82)."""
    from tests.heritage.factories import commune_of

    return {
        "a1": commune_of(tree.area_a, code="81001", name="Xã An Một"),
        "a2": commune_of(tree.area_a, code="81002", name="Phường An Hai"),
        "b1": commune_of(tree.area_b, code="82001", name="Xã Bình Một"),
    }
