"""Every English catalogue entry is translated: an empty or fuzzy entry fails the suite."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

import vhttdl

CATALOGUES = sorted(Path(vhttdl.__file__).parent.rglob("locale/en/LC_MESSAGES/django.po"))


def test_there_are_english_catalogues():
    assert CATALOGUES, "no English catalogue found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(Path(vhttdl.__file__).parent)))
def test_english_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    empty = [e.msgid for e in catalogue if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in catalogue if not e.obsolete and "fuzzy" in e.flags]
    assert not empty, f"{len(empty)} untranslated entries in {path}: {empty[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {path}: {fuzzy[:10]}"
