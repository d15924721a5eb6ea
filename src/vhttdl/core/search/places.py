"""Old province names as words of today's documents.

Visitors still name places by the province they were in: "chua huong ha tay", "hoi an quang
nam", "thap cham ninh thuan". A document is indexed with its current province (`province_code`),
so the names that province had before are added to its body words when it is indexed (matched,
never shown): the 2025 merger of 63 provinces into 34 from `core.units.reference` (the same
successor table the units are loaded from), and a few older names that people still use for
today's provinces (`OLDER_NAMES`: Hà Tây, merged into Hà Nội in 2008; Thừa Thiên Huế, the city
of Huế since January 2025; Sài Gòn, Hồ Chí Minh City's name until 1976).

The table is built once per process from the packaged reference data, not from the database:
indexing a document costs no query, and every process and test sees the same table.
"""

from __future__ import annotations

from functools import cache

from vhttdl.core.text import fold_words

# Names from before the 63 provinces' table that people still use, and the province they are now.
OLDER_NAMES = {"Hà Tây": "01", "Thừa Thiên Huế": "46", "Sài Gòn": "79"}


@cache
def _former_names() -> dict[str, tuple[str, ...]]:
    """{current province code: the names its territory had as other provinces}."""
    from vhttdl.core.units.reference import current_provinces_and_communes, legacy_provinces

    current = {p.code: fold_words(p.short_name or p.name) for p in current_provinces_and_communes()[0]}
    legacy, successor = legacy_provinces()
    names: dict[str, list[str]] = {}
    pairs = [(p.short_name or p.name, successor.get(p.code, "")) for p in legacy] + list(OLDER_NAMES.items())
    for name, code in pairs:
        if code in current and fold_words(name) != current[code] and name not in names.get(code, []):
            names.setdefault(code, []).append(name)
    return {code: tuple(found) for code, found in names.items()}


def former_names(*province_codes: str) -> str:
    """The former province names of these current provinces, as one text ("" when none)."""
    table = _former_names()
    found: list[str] = []
    for code in province_codes:
        for name in table.get(code or "", ()):
            if name not in found:
                found.append(name)
    return " ".join(found)
