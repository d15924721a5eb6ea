"""Demo heritage data from public facts: relics in all 34 provinces, intangible heritage, festivals.

The data files in `heritage/data/` were written for this project from public information (names,
ranks, UNESCO inscriptions, lunar dates); descriptions are short texts of our own. Coordinates
marked approximate (`approx` = 1) are within a few kilometres; rows without coordinates are
placed near the province's centre and marked approximate. `rank_source` says whether the rank
was checked against public lists ("known") or is a best effort ("best_effort").

`load_demo()` is idempotent: records whose code exists are left alone. It goes through the
same services (and the bulk import) that people use, as the SYSTEM actor; records are owned by
the province's department (`SO-<province code>`), or by the Cục Di sản văn hóa when an
intangible heritage item spans several provinces.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.text import fold
from vhttdl.core.units.models import Area, Organisation

DATA = Path(__file__).with_name("data")
RANKS = {"SN": "special_national", "N": "national", "P": "provincial", "I": "inventoried"}
TYPES = {"H": "historical", "A": "architectural_artistic", "K": "archaeological", "S": "scenic"}
DRAFT_EVERY = 25  # one site in 25 stays a draft, so the back office has something to publish


def _norm(text: str) -> str:
    return " ".join(fold(text or "").split())


def _offset(name: str) -> tuple[float, float]:
    digest = hashlib.sha256(name.encode()).digest()
    return (digest[0] - 128) / 128 * 0.08, (digest[1] - 128) / 128 * 0.08


def site_rows() -> list[dict[str, str]]:
    """The demo sites, with the English description of the best-known ones (`sites_en.csv`)."""
    with (DATA / "sites_en.csv").open(encoding="utf-8", newline="") as handle:
        english = {row["code"]: row["description_en"] for row in csv.DictReader(handle)}
    with (DATA / "sites.csv").open(encoding="utf-8", newline="") as handle:
        return [{**row, "description_en": english.get(row["code"], "")} for row in csv.DictReader(handle)]


def _sites_csv(rows: list[dict[str, str]], provinces: dict[str, Area],
               communes: dict[tuple[str, str], str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "province_code", "commune_code", "rank", "type", "latitude", "longitude",
                     "approximate", "unesco_status", "status", "description", "name_en", "description_en"])
    for index, row in enumerate(rows):
        lat, lon, approximate = row["lat"], row["lon"], row["approx"] == "1"
        if not lat:
            province = provinces[row["province_code"]]
            d_lat, d_lon = _offset(row["name"])
            lat, lon, approximate = f"{province.latitude + d_lat:.5f}", f"{province.longitude + d_lon:.5f}", True
        writer.writerow([
            row["code"], row["name"], row["province_code"],
            communes.get((row["province_code"], _norm(row["commune"])), "") if row["commune"] else "",
            RANKS[row["rank"]], TYPES[row["type"]], lat, lon, "1" if approximate else "0",
            "world_heritage" if row["unesco"] == "W" else "", "nháp" if index % DRAFT_EVERY == DRAFT_EVERY - 1
            else "công bố", row["description"], row["name_en"], row["description_en"],
        ])
    return out.getvalue().encode("utf-8")


def load_sites() -> int:
    from vhttdl.heritage.exchange.imports import sites_import
    from vhttdl.heritage.models import Site

    rows = site_rows()
    existing = set(Site.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True))
    todo = [r for r in rows if r["code"] not in existing]
    if not todo:
        return 0
    provinces = {a.code: a for a in Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True)}
    wanted = {r["province_code"] for r in todo if r["commune"]}
    communes = {
        (parent_code, _norm(name)): code
        for code, name, parent_code in Area.objects.filter(
            level=Area.Level.COMMUNE, valid_to__isnull=True, parent__code__in=wanted
        ).values_list("code", "name", "parent__code")
    }
    report = sites_import(actor=SYSTEM, file=_sites_csv(todo, provinces, communes), filename="demo-sites.csv",
                          dry_run=False)
    if not report.committed:
        problems = [f"{r.row}: {[(e.column, e.message) for e in r.errors]}" for r in report.bad_rows][:10]
        raise RuntimeError(f"demo sites did not load: {report.file_errors} {problems}")
    return report.created


def _owner(province_codes: list[str]) -> Organisation | None:
    if len(province_codes) == 1:
        found = Organisation.objects.current().filter(code=f"SO-{province_codes[0]}").first()
        if found is not None:
            return found
    return (Organisation.objects.current().filter(code="CDSVH").first()
            or Organisation.objects.current().filter(code="BVHTTDL").first())


def load_intangible() -> int:
    from vhttdl.heritage import services
    from vhttdl.heritage.models import Inscription, IntangibleHeritage

    items = json.loads((DATA / "intangible.json").read_text("utf-8"))
    existing = set(IntangibleHeritage.objects.values_list("code", flat=True))
    areas = {a.code: a for a in Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True)}
    created = 0
    for item in items:
        if item["code"] in existing:
            continue
        provinces = [areas[c] for c in item["provinces"] if c in areas]
        with transaction.atomic():
            record = services.intangible_create(actor=SYSTEM, publish=True, provinces=provinces, data={
                "code": item["code"], "name": item["name"], "name_en": item.get("name_en", ""),
                "category": item["category"], "communities": item.get("communities", ""),
                "unesco_list": item.get("unesco_list", "none"), "unesco_year": item.get("unesco_year"),
                "description": item.get("description", ""), "organisation": _owner(item["provinces"]),
            })
            # Inscriptions: the year is known, the decision's exact date and number are not recorded here.
            Inscription.objects.bulk_create([
                Inscription(heritage=record, listing=listing, decided_on=None,
                            note=" ".join(x for x in [f"Năm {when[:4]}." if when else "", note] if x)[:255])
                for listing, when, note in item.get("inscriptions", [])
            ])
        created += 1
    return created


def load_festivals() -> int:
    from vhttdl.heritage import services
    from vhttdl.heritage.models import Festival, IntangibleHeritage, Site

    items = json.loads((DATA / "festivals.json").read_text("utf-8"))
    existing = set(Festival.objects.values_list("code", flat=True))
    areas = {a.code: a for a in Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True)}
    sites_by_code = {s.code: s for s in Site.objects.filter(code__regex=r"^\d\d-\d{4}$")}
    sites_by_name = {(s.province.code, _norm(s.name)): s for s in sites_by_code.values()}
    intangible = {i.code: i for i in IntangibleHeritage.objects.all()}
    created = 0
    for item in items:
        if item["code"] in existing or item["province"] not in areas:
            continue
        site = sites_by_code.get(item.get("site", "")) or sites_by_name.get(
            (item["province"], _norm(item.get("site_name", ""))))
        data: dict[str, Any] = {
            "code": item["code"], "name": item["name"], "name_en": item.get("name_en", ""),
            "calendar": item["calendar"], "month": item["month"], "day": item["day"],
            "duration_days": item.get("duration_days", 1), "date_note": item.get("date_note", ""),
            "province": areas[item["province"]], "place": item.get("place", "") or (site.name if site else ""),
            "site": site, "intangible": intangible.get(item.get("intangible", "")),
            "description": item.get("description", ""), "description_en": item.get("description_en", ""),
            "organisation": _owner([item["province"]]),
        }
        services.festival_create(actor=SYSTEM, data=data, publish=item.get("status") != "draft")
        created += 1
    return created


def load_demo() -> dict[str, int]:
    """Load the demo heritage records (idempotent). Returns how many of each were created."""
    return {"sites": load_sites(), "intangible": load_intangible(), "festivals": load_festivals()}
