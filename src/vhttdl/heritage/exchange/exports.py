"""Export of sites: CSV and Excel with the import's columns (a file exported imports back unchanged),
and GeoJSON (a FeatureCollection of published sites with coordinates).

Text cells that a spreadsheet would run as a formula (starting with = + - @) are written with a
leading apostrophe; the importer removes it again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from vhttdl.core.text.safety import export_cell
from vhttdl.heritage.exchange.columns import COLUMN_NAMES, SITE_COLUMNS
from vhttdl.heritage.models import RankingDecision, RecordStatus, Site, SiteTranslation


def export_queryset(queryset: QuerySet[Site]) -> QuerySet[Site]:
    return queryset.select_related("province", "commune", "organisation").prefetch_related(
        Prefetch("translations", queryset=SiteTranslation.objects.filter(language="en")),
        Prefetch("decisions", queryset=RankingDecision.objects.order_by("-decided_on", "-id")),
    )


def site_row(site: Site) -> dict[str, Any]:
    en = next(iter(site.translations.all()), None)
    decision = next(iter(site.decisions.all()), None)
    return {
        "code": site.code, "name": site.name, "province_code": site.province.code,
        "commune_code": site.commune.code if site.commune_id else "", "rank": site.rank, "type": site.site_type,
        "latitude": site.latitude if site.latitude is not None else "",
        "longitude": site.longitude if site.longitude is not None else "",
        "approximate": "1" if site.location_approximate else "",
        "address": site.address, "other_names": site.other_names,
        "unesco_status": "" if site.unesco_status == "none" else site.unesco_status,
        "status": site.status, "organisation_code": site.organisation.code,
        "decision_number": decision.number if decision else "",
        "decision_date": decision.decided_on.strftime("%d/%m/%Y") if decision and decision.decided_on else "",
        "decision_issuer": decision.issuer if decision else "",
        "description": site.description, "history": site.history, "directions": site.directions,
        "name_en": en.name if en else "", "description_en": en.description if en else "",
    }


def _rows(queryset: QuerySet[Site], chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    for site in export_queryset(queryset).iterator(chunk_size=chunk_size):
        yield site_row(site)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset: QuerySet[Site]) -> Iterator[str]:
    """The CSV file line by line (UTF-8 with BOM so Excel reads the Vietnamese letters)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMN_NAMES)
    for row in _rows(queryset):
        yield writer.writerow([export_cell(row[name]) for name in COLUMN_NAMES])


def export_csv(queryset: QuerySet[Site]) -> bytes:
    return "".join(csv_lines(queryset)).encode("utf-8")


def export_xlsx(queryset: QuerySet[Site]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Di tich")
    sheet.append([c.label for c in SITE_COLUMNS])
    for row in _rows(queryset):
        sheet.append([export_cell(row[name]) for name in COLUMN_NAMES])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def feature(site: Site, *, url: str = "") -> dict[str, Any]:
    en = next((t for t in site.translations.all() if t.language == "en"), None)
    return {
        "type": "Feature",
        "id": site.code,
        "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
        "properties": {
            "code": site.code, "name": site.name, "name_en": en.name if en and en.name else "",
            "rank": site.rank, "rank_label": str(site.get_rank_display()), "type": site.site_type,
            "type_label": str(site.get_site_type_display()), "province_code": site.province.code,
            "province": site.province.name, "commune": site.commune.name if site.commune_id else "",
            "address": site.address, "unesco_status": site.unesco_status,
            "approximate": site.location_approximate, "url": url,
        },
    }


def export_geojson(queryset: QuerySet[Site] | Iterable[Site]) -> dict[str, Any]:
    """A FeatureCollection of the published sites with coordinates among `queryset`."""
    from vhttdl.heritage.services import public_url

    if isinstance(queryset, QuerySet):
        queryset = export_queryset(queryset.filter(status=RecordStatus.PUBLISHED, latitude__isnull=False,
                                                   longitude__isnull=False)).iterator(chunk_size=2000)
    features = [feature(site, url=public_url(site)) for site in queryset
                if site.is_published and site.latitude is not None and site.longitude is not None]
    return {"type": "FeatureCollection", "features": features}
