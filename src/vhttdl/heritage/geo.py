"""Where Vietnam is, and checks for coordinates and GeoJSON areas.

The outline is an approximation drawn by hand from public maps: the land border with China, Laos
and Cambodia widened by roughly 10 km (so a relic in a border commune is never refused), the coast
with about 30–50 km of sea (coastal islands: Cô Tô, Bạch Long Vĩ, Lý Sơn, Phú Quý, Côn Đảo,
Phú Quốc, Thổ Chu), the Gulf of Tonkin to the 2000 delimitation line, and the Hoàng Sa and
Trường Sa archipelagos. It refuses points in neighbouring countries and in the sea off them
(Hainan, the Gulf of Thailand off Cambodia, the Philippines), which is what data entry needs.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

# (longitude, latitude), clockwise from the China–Laos–Vietnam tripoint (A Pa Chải).
MAINLAND: tuple[tuple[float, float], ...] = (
    (102.10, 22.47), (102.50, 22.85), (103.00, 22.85), (103.50, 22.92), (104.00, 22.62),
    (104.35, 22.88), (104.80, 23.22), (105.30, 23.47), (105.70, 23.17), (106.20, 22.97),
    (106.85, 22.92), (106.85, 22.40), (106.82, 22.02), (107.40, 21.70), (108.10, 21.60),
    # Gulf of Tonkin: the delimitation line, then the closing line towards Cồn Cỏ.
    (108.10, 21.45), (108.05, 20.20), (107.70, 19.50), (107.90, 18.30), (108.00, 17.40),
    # The coast with a band of sea, south to Cà Mau.
    (108.60, 16.40), (109.40, 15.50), (109.60, 14.00), (109.85, 12.90), (109.60, 11.70),
    (109.30, 10.60), (107.30, 8.45), (106.30, 8.20), (104.50, 8.20),
    # Gulf of Thailand: Thổ Chu, west of Phú Quốc, north of it to the Cambodian border at Hà Tiên.
    (103.20, 9.20), (103.60, 9.90), (103.75, 10.48), (104.05, 10.56), (104.45, 10.55),
    # Land border with Cambodia.
    (105.00, 10.98), (105.45, 11.08), (105.75, 11.10), (105.75, 11.75), (106.35, 11.95),
    (107.00, 12.30), (107.40, 12.35), (107.45, 12.90), (107.38, 13.50), (107.38, 14.20),
    (107.45, 14.75),
    # Land border with Laos.
    (107.30, 15.10), (107.35, 15.60), (107.05, 15.80), (107.00, 16.20), (106.50, 16.45),
    (106.45, 16.95), (106.00, 17.40), (105.60, 17.70), (105.35, 18.20), (104.60, 18.75),
    (104.10, 19.10), (103.80, 19.55), (104.10, 19.85), (104.35, 20.40), (104.65, 20.65),
    (104.45, 20.85), (103.75, 20.70), (103.20, 20.75), (102.90, 21.05), (102.85, 21.35),
    (102.60, 21.65), (102.10, 21.75), (101.95, 22.20),
)

HOANG_SA: tuple[tuple[float, float], ...] = (
    (111.00, 15.60), (111.00, 17.30), (113.00, 17.30), (113.00, 15.60),
)
TRUONG_SA: tuple[tuple[float, float], ...] = (
    (111.40, 7.20), (111.40, 11.70), (116.00, 11.70), (116.00, 7.20),
)

OUTLINES = (MAINLAND, HOANG_SA, TRUONG_SA)
# A quick box around all outlines; most points are accepted or refused by it alone.
BBOX = (101.9, 7.1, 116.1, 23.5)  # minLon, minLat, maxLon, maxLat


def _in_ring(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_vietnam(lat: float, lon: float) -> bool:
    """True when the point lies inside Vietnam's land, coastal waters or archipelagos (approximately)."""
    if not (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
        return False
    return any(_in_ring(lon, lat, ring) for ring in OUTLINES)


def parse_coordinate(value: Any) -> float | None:
    """A latitude or longitude from a form or a spreadsheet cell; accepts a decimal comma. None when empty."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError as exc:
            raise InvalidInput(_("Tọa độ “%(value)s” không phải là số.") % {"value": str(value)[:40]},
                               code="bad_coordinate") from exc
    if math.isnan(number) or math.isinf(number):
        raise InvalidInput(_("Tọa độ không hợp lệ."), code="bad_coordinate")
    return number


def check_point(lat: float | None, lon: float | None) -> None:
    """Raise InvalidInput unless both coordinates are empty, or both given and inside Vietnam."""
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        raise InvalidInput(_("Cần nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."),
                           code="coordinates_incomplete")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("Vĩ độ phải trong khoảng −90..90 và kinh độ trong khoảng −180..180."),
                           code="coordinates_out_of_range")
    if not in_vietnam(lat, lon):
        raise InvalidInput(
            _("Tọa độ (%(lat)s, %(lon)s) nằm ngoài lãnh thổ Việt Nam. Kiểm tra lại, có thể đã đảo vĩ độ "
              "và kinh độ.") % {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"},
            code="outside_vietnam",
        )


def _check_position(position: Any) -> None:
    if not isinstance(position, (list, tuple)) or len(position) < 2:
        raise InvalidInput(_("Mỗi điểm trong GeoJSON phải là [kinh độ, vĩ độ]."), code="bad_geojson")
    lon, lat = position[0], position[1]
    if isinstance(lon, bool) or isinstance(lat, bool) or not isinstance(lon, (int, float)) \
            or not isinstance(lat, (int, float)):
        raise InvalidInput(_("Tọa độ trong GeoJSON phải là số."), code="bad_geojson")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(_("Tọa độ trong GeoJSON vượt ngoài phạm vi (kinh độ −180..180, vĩ độ −90..90)."),
                           code="bad_geojson")
    if not in_vietnam(lat, lon):
        raise InvalidInput(_("Vùng GeoJSON có điểm (%(lat)s, %(lon)s) nằm ngoài lãnh thổ Việt Nam.")
                           % {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"}, code="bad_geojson")


def _check_polygon(rings: Any) -> None:
    if not isinstance(rings, list) or not rings:
        raise InvalidInput(_("Một Polygon phải có ít nhất một vòng tọa độ."), code="bad_geojson")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise InvalidInput(_("Mỗi vòng của Polygon phải có ít nhất 4 điểm."), code="bad_geojson")
        for position in ring:
            _check_position(position)
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise InvalidInput(_("Vòng của Polygon chưa khép kín: điểm cuối phải trùng điểm đầu."),
                               code="bad_geojson")


MAX_GEOJSON_POSITIONS = 20_000


def clean_area_geojson(value: Any) -> dict | None:
    """Validate a Polygon or MultiPolygon (bare geometry, Feature, or its JSON text); return the geometry.

    Empty input gives None. Anything else raises InvalidInput with a message for people.
    """
    import json

    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if len(text) > 2_000_000:
            raise InvalidInput(_("GeoJSON quá lớn (tối đa 2 MB)."), code="bad_geojson")
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise InvalidInput(_("Không đọc được GeoJSON: nội dung không phải JSON hợp lệ."),
                               code="bad_geojson") from exc
    if not isinstance(value, dict):
        raise InvalidInput(_("GeoJSON phải là một đối tượng (Polygon hoặc MultiPolygon)."),
                           code="bad_geojson")
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise InvalidInput(_("Feature GeoJSON không có hình học."), code="bad_geojson")
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind == "Polygon":
        _check_polygon(coordinates)
        count = sum(len(r) for r in coordinates)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise InvalidInput(_("MultiPolygon phải có ít nhất một Polygon."), code="bad_geojson")
        for polygon in coordinates:
            _check_polygon(polygon)
        count = sum(len(r) for p in coordinates for r in p)
    else:
        raise InvalidInput(_("GeoJSON phải là Polygon hoặc MultiPolygon (nhận được: %(kind)s).")
                           % {"kind": str(kind)[:30]}, code="bad_geojson")
    if count > MAX_GEOJSON_POSITIONS:
        raise InvalidInput(_("GeoJSON có quá nhiều điểm (tối đa %(n)s).") % {"n": MAX_GEOJSON_POSITIONS},
                           code="bad_geojson")
    return {"type": kind, "coordinates": coordinates}
