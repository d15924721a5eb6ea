"""Short names of units for charts and narrow columns, where "Sở Văn hóa, Thể thao và Du lịch …" would
leave every label reading the same.

A department is named by its province ("Cao Bằng"); where a province has two departments (Hà Nội's
culture-and-sports and tourism departments) each keeps what tells them apart ("Hà Nội · Du lịch").
Other units keep their short name when they have one, else their name. The full name stays
available for tooltips and tables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from vhttdl.core.units.models import Organisation

_DEPARTMENT_VI = re.compile(r"^Sở\s+", re.IGNORECASE)
_DEPARTMENT_EN = re.compile(r"^Department of\s+", re.IGNORECASE)


def _place(organisation: Organisation) -> str:
    area = organisation.area if organisation.area_id else None
    return (area.short_name or area.name) if area is not None else ""


def short_name(organisation: Organisation, language: str | None = None) -> str:
    """The unit's short name in `language`: a department's province, a unit's short name, or its name."""
    if organisation.kind == Organisation.Kind.DEPARTMENT and _place(organisation):
        return _place(organisation)
    if organisation.short_name and language != "en":
        return organisation.short_name
    return organisation.display_name(language)


def _sector(organisation: Organisation, language: str | None) -> str:
    """What a department's name says beside its province: "Du lịch", "Văn hóa và Thể thao"."""
    name = organisation.display_name(language)
    place = _place(organisation)
    if language == "en":
        name = _DEPARTMENT_EN.sub("", name)
        name = re.sub(rf"\s+of\s+{re.escape(place)}$", "", name) if place else name
    else:
        name = _DEPARTMENT_VI.sub("", name)
        name = re.sub(rf"\s+{re.escape(place)}$", "", name) if place else name
    return name.strip(" ,")


def short_names(organisations: Iterable[Organisation], language: str | None = None) -> dict[int, str]:
    """{unit id: short name}, telling apart units that would otherwise share one."""
    units = list(organisations)
    names = {o.pk: short_name(o, language) for o in units}
    counts = Counter(names.values())
    for unit in units:
        if counts[names[unit.pk]] > 1 and unit.kind == Organisation.Kind.DEPARTMENT:
            sector = _sector(unit, language)
            if sector:
                names[unit.pk] = f"{names[unit.pk]} · {sector}"
    return names
