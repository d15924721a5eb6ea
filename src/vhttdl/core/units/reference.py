"""Reference data: administrative areas from the packages that publish them, and the sector's bodies.

- The 34 provinces and 3,321 communes in force since 1 July 2025 come from `vietnam-provinces`
  (official codes, data shipped in the wheel).
- The 63 provinces before the merger, their centroids and which new province each became come
  from `vietnamadminunits`. Its commune-level old→new table maps one old commune to several new
  ones where communes were split, so it only fits address conversion; we keep history at the
  province level, where every old province has exactly one successor.

Loading is idempotent: a second run changes nothing and takes a fraction of a second.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction

from vhttdl.core.text.collation import sort_key
from vhttdl.core.units.models import Area, Organisation

MERGER_LAST_DAY = date(2025, 6, 30)
MERGER_FIRST_DAY = date(2025, 7, 1)


def _package_dir(name: str) -> Path:
    """Where a package's files are, without importing it (vietnamadminunits imports shapely)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class ProvinceRecord:
    code: str
    name: str
    short_name: str
    codename: str
    division_type: str
    latitude: float | None
    longitude: float | None


@cache
def current_provinces_and_communes() -> tuple[list[ProvinceRecord], list[dict]]:
    nested = json.loads((_package_dir("vietnam_provinces") / "data" / "nested-divisions.json").read_text("utf-8"))
    centroids = json.loads(
        (_package_dir("vietnamadminunits") / "data" / "parser_from_2025.json").read_text("utf-8")
    )["DICT_PROVINCE"]
    by_code = {v["provinceCode"]: v for v in centroids.values()}
    provinces, communes = [], []
    for province in nested:
        code = str(province["code"]).zfill(2)
        extra = by_code.get(code, {})
        provinces.append(
            ProvinceRecord(
                code=code, name=province["name"], short_name=extra.get("provinceShort", province["name"]),
                codename=province["codename"], division_type=province["division_type"],
                latitude=extra.get("provinceLat"), longitude=extra.get("provinceLon"),
            )
        )
        for ward in province["wards"]:
            communes.append(
                {
                    "code": str(ward["code"]).zfill(5), "name": ward["name"], "codename": ward["codename"],
                    "division_type": ward["division_type"], "province_code": code,
                }
            )
    return provinces, communes


@cache
def legacy_provinces() -> tuple[list[ProvinceRecord], dict[str, str]]:
    """The 63 provinces before 1 July 2025, and {old code: new code}."""
    data_dir = _package_dir("vietnamadminunits") / "data"
    legacy = json.loads((data_dir / "parser_legacy.json").read_text("utf-8"))["DICT_PROVINCE"]
    new = json.loads((data_dir / "parser_from_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    merger = json.loads((data_dir / "converter_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    records = [
        ProvinceRecord(
            code=v["provinceCode"], name=v["province"], short_name=v["provinceShort"], codename=key,
            division_type="thành phố trung ương" if v["province"].startswith("Thành phố") else "tỉnh",
            latitude=v.get("provinceLat"), longitude=v.get("provinceLon"),
        )
        for key, v in legacy.items()
    ]
    successor = {
        legacy[old_key]["provinceCode"]: new[new_key]["provinceCode"]
        for new_key, old_keys in merger.items()
        for old_key in old_keys
    }
    return records, successor


def unchanged_codes() -> set[str]:
    """Old provinces that became a new province alone and kept their code (Hà Nội, Huế, ...)."""
    _records, successor = legacy_provinces()
    counts: dict[str, int] = {}
    for new_code in successor.values():
        counts[new_code] = counts.get(new_code, 0) + 1
    return {old for old, new in successor.items() if old == new and counts[new] == 1}


@transaction.atomic
def load_areas() -> dict[str, int]:
    """Create or refresh every area and successor link. Returns counts of what was created."""
    provinces, communes = current_provinces_and_communes()
    legacy, successor = legacy_provinces()
    unchanged = unchanged_codes()
    created = {"provinces": 0, "communes": 0, "legacy_provinces": 0, "links": 0}

    existing = {(a.level, a.code, a.valid_to): a for a in Area.objects.filter(level=Area.Level.PROVINCE)}
    current_by_code: dict[str, Area] = {}
    for p in provinces:
        key: tuple[str, str, date | None] = (Area.Level.PROVINCE, p.code, None)
        fields = {
            "name": p.name, "short_name": p.short_name, "codename": p.codename, "division_type": p.division_type,
            "latitude": p.latitude, "longitude": p.longitude,
            "valid_from": None if p.code in unchanged else MERGER_FIRST_DAY,
        }
        area = existing.get(key)
        if area is None:
            area = Area.objects.create(level=Area.Level.PROVINCE, code=p.code, **fields)
            created["provinces"] += 1
        elif any(getattr(area, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(area, k, v)
            area.save()
        current_by_code[p.code] = area

    old_areas: list[Area] = []
    for p in legacy:
        if p.code in unchanged:
            continue
        key = (Area.Level.PROVINCE, p.code, MERGER_LAST_DAY)
        area = existing.get(key)
        if area is None:
            area = Area.objects.create(
                level=Area.Level.PROVINCE, code=p.code, name=p.name, short_name=p.short_name,
                codename=p.codename, division_type=p.division_type, latitude=p.latitude, longitude=p.longitude,
                valid_to=MERGER_LAST_DAY,
            )
            created["legacy_provinces"] += 1
        old_areas.append(area)
    through = Area.successors.through
    have_links = set(through.objects.values_list("from_area_id", "to_area_id"))
    new_links = [
        through(from_area_id=old.pk, to_area_id=current_by_code[successor[old.code]].pk)
        for old in old_areas
        if (old.pk, current_by_code[successor[old.code]].pk) not in have_links
    ]
    through.objects.bulk_create(new_links)
    created["links"] = len(new_links)

    have_communes = set(
        Area.objects.filter(level=Area.Level.COMMUNE, valid_to__isnull=True).values_list("code", flat=True)
    )
    Area.objects.bulk_create(
        [
            Area(
                level=Area.Level.COMMUNE, code=c["code"], name=c["name"], codename=c["codename"][:80],
                division_type=c["division_type"], parent=current_by_code[c["province_code"]],
                valid_from=MERGER_FIRST_DAY, sort_name=sort_key(c["name"]),
            )
            for c in communes
            if c["code"] not in have_communes
        ],
        batch_size=1000,
    )
    created["communes"] = len([c for c in communes if c["code"] not in have_communes])
    return created


# The Ministry and its main agencies (Decree 43/2025/NĐ-CP organisation, as of 2025).
MINISTRY = ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism", "Bộ VHTTDL")
MINISTRY_AGENCIES: list[tuple[str, str, str, str]] = [
    ("TTCNTT", "Trung tâm Công nghệ thông tin", "Information Technology Centre", Organisation.Kind.AGENCY),
    ("VP", "Văn phòng Bộ", "Ministry Office", Organisation.Kind.AGENCY),
    ("VKHTC", "Vụ Kế hoạch, Tài chính", "Department of Planning and Finance", Organisation.Kind.AGENCY),
    ("CDSVH", "Cục Di sản văn hóa", "Department of Cultural Heritage", Organisation.Kind.AGENCY),
    ("CDLQG", "Cục Du lịch Quốc gia Việt Nam", "Vietnam National Authority of Tourism", Organisation.Kind.AGENCY),
    ("CTDTT", "Cục Thể dục thể thao Việt Nam", "Vietnam Sports Authority", Organisation.Kind.AGENCY),
    ("CBQTG", "Cục Bản quyền tác giả", "Copyright Office of Vietnam", Organisation.Kind.AGENCY),
    ("CNTBD", "Cục Nghệ thuật biểu diễn", "Department of Performing Arts", Organisation.Kind.AGENCY),
    ("CDA", "Cục Điện ảnh", "Vietnam Cinema Department", Organisation.Kind.AGENCY),
    ("CVHCS", "Cục Văn hóa cơ sở, Gia đình và Thư viện",
     "Department of Grassroots Culture, Family and Libraries", Organisation.Kind.AGENCY),
    ("BTLSQG", "Bảo tàng Lịch sử quốc gia", "National Museum of Vietnamese History", Organisation.Kind.MUSEUM),
    ("BTMTVN", "Bảo tàng Mỹ thuật Việt Nam", "Vietnam National Fine Arts Museum", Organisation.Kind.MUSEUM),
    ("TVQG", "Thư viện Quốc gia Việt Nam", "National Library of Vietnam", Organisation.Kind.LIBRARY),
]

# Provinces where culture-and-sports and tourism are separate departments (verify yearly).
SPLIT_TOURISM_PROVINCES = {"01", "22", "31", "48", "56", "79"}


def department_code(area: Area) -> str:
    return f"SO-{area.code}" if area.valid_to is None else f"SO-{area.code}-{area.valid_to.year}"


def department_name(area: Area) -> tuple[str, str]:
    place = area.short_name or area.name
    if area.valid_to is None and area.code in SPLIT_TOURISM_PROVINCES:
        return f"Sở Văn hóa và Thể thao {place}", f"Department of Culture and Sports of {place}"
    return f"Sở Văn hóa, Thể thao và Du lịch {place}", f"Department of Culture, Sports and Tourism of {place}"


@transaction.atomic
def load_sector_organisations() -> dict[str, int]:
    """The Ministry, its agencies, and a department for every province, old and new."""
    from vhttdl.core.units.services import organisation_build

    created = 0
    by_code = {o.code: o for o in Organisation.objects.all()}

    def ensure(code, name, name_en, kind, parent, **extra):
        nonlocal created
        org = by_code.get(code)
        if org is None:
            org = organisation_build(code=code, name=name, name_en=name_en, kind=kind, parent=parent, **extra)
            by_code[code] = org
            created += 1
        return org

    code, name, name_en, short = MINISTRY
    ministry = ensure(code, name, name_en, Organisation.Kind.MINISTRY, None, short_name=short)
    for code, name, name_en, kind in MINISTRY_AGENCIES:
        ensure(code, name, name_en, kind, ministry)

    departments: dict[int, Organisation] = {}
    for area in Area.objects.filter(level=Area.Level.PROVINCE).order_by("code", "valid_to"):
        dept_name, dept_name_en = department_name(area)
        dept = ensure(
            department_code(area), dept_name, dept_name_en, Organisation.Kind.DEPARTMENT, ministry, area=area,
            valid_from=area.valid_from, valid_to=area.valid_to,
        )
        departments[area.pk] = dept
        if area.valid_to is None and area.code in SPLIT_TOURISM_PROVINCES:
            place = area.short_name or area.name
            ensure(f"SDL-{area.code}", f"Sở Du lịch {place}", f"Department of Tourism of {place}",
                   Organisation.Kind.DEPARTMENT, ministry, area=area, valid_from=area.valid_from)

    through = Organisation.successors.through
    have = set(through.objects.values_list("from_organisation_id", "to_organisation_id"))
    links = []
    area_links = Area.successors.through.objects.values_list("from_area_id", "to_area_id")
    for old_area_id, new_area_id in area_links:
        old, new = departments.get(old_area_id), departments.get(new_area_id)
        if old and new and (old.pk, new.pk) not in have:
            links.append(through(from_organisation_id=old.pk, to_organisation_id=new.pk))
    through.objects.bulk_create(links)
    return {"organisations": created, "links": len(links)}
