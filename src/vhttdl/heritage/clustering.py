"""Map geometry for the public portal: bounding boxes, grid clustering and distances.

Clustering happens on the server so that the browser only ever draws what it receives: at low
zoom the map asks for a bounding box and gets one feature per grid cell (count + centroid); close
in it gets the sites themselves, never more than `MAX_FEATURES`. The grid is a plain
longitude/latitude grid whose cell shrinks with the zoom (about 64 screen pixels) and never has
more than `MAX_CELLS_PER_SIDE` cells across the box, so an answer stays small whatever the request.
The grouping itself runs over the in-memory point index (`heritage.portal.pointindex`, numpy),
by the cell rule of `cell_of`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

MAX_FEATURES = 2000  # never more sites than this in one answer
MAX_CELLS_PER_SIDE = 48
DETAIL_ZOOM = 13  # from this zoom on, individual sites (up to MAX_FEATURES)
MAX_ZOOM = 22
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @property
    def width(self) -> float:
        return self.max_lon - self.min_lon

    @property
    def height(self) -> float:
        return self.max_lat - self.min_lat

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def as_list(self) -> list[float]:
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]


def parse_bbox(raw: str | None) -> BBox:
    """`minLon,minLat,maxLon,maxLat` in degrees (WGS84) → BBox; InvalidInput saying what is wrong."""
    example = "bbox=102.1,8.4,109.5,23.4"
    if raw is None or not str(raw).strip():
        raise InvalidInput(_("Thiếu tham số bbox (ví dụ %(example)s).") % {"example": example},
                           code="invalid_bbox")
    text = str(raw)
    if len(text) > 200:
        raise InvalidInput(_("Tham số bbox quá dài."), code="invalid_bbox")
    parts = text.split(",")
    if len(parts) != 4:
        raise InvalidInput(
            _("bbox phải gồm đúng 4 số: kinh độ nhỏ nhất, vĩ độ nhỏ nhất, kinh độ lớn nhất, vĩ độ lớn nhất "
              "(ví dụ %(example)s).") % {"example": example},
            code="invalid_bbox",
        )
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part.strip()) for part in parts)
    except ValueError:
        raise InvalidInput(_("bbox chỉ được chứa số (ví dụ %(example)s).") % {"example": example},
                           code="invalid_bbox") from None
    values = (min_lon, min_lat, max_lon, max_lat)
    if not all(math.isfinite(value) for value in values):
        raise InvalidInput(_("bbox chứa giá trị không hợp lệ (vô cực hoặc NaN)."), code="invalid_bbox")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InvalidInput(_("Kinh độ trong bbox phải nằm trong khoảng -180 đến 180."), code="invalid_bbox")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InvalidInput(_("Vĩ độ trong bbox phải nằm trong khoảng -90 đến 90."), code="invalid_bbox")
    if min_lon >= max_lon or min_lat >= max_lat:
        raise InvalidInput(
            _("bbox bị đảo ngược hoặc rỗng: giá trị nhỏ nhất phải nhỏ hơn giá trị lớn nhất."),
            code="invalid_bbox",
        )
    return BBox(min_lon, min_lat, max_lon, max_lat)


def parse_zoom(raw: str | int | None, bbox: BBox) -> int:
    """The map's zoom level (0–22); guessed from the box's width when absent."""
    if raw is None or raw == "":
        return max(0, min(MAX_ZOOM, int(math.log2(360 / max(bbox.width, 1e-9))) + 2))
    try:
        zoom = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(_("zoom phải là số nguyên từ 0 đến 22."), code="invalid_zoom") from None
    if not 0 <= zoom <= MAX_ZOOM:
        raise InvalidInput(_("zoom phải là số nguyên từ 0 đến 22."), code="invalid_zoom")
    return zoom


def cell_size(bbox: BBox, zoom: int) -> float:
    """Grid cell in degrees: about 64 px at this zoom, and at most MAX_CELLS_PER_SIDE across the box."""
    by_zoom = 360.0 / (2**zoom) / 4  # a 256 px tile holds 4 cells of 64 px
    by_box = max(bbox.width, bbox.height) / MAX_CELLS_PER_SIDE
    return max(by_zoom, by_box)


def cell_of(lon: float, lat: float, size: float) -> tuple[int, int]:
    return math.floor(lon / size), math.floor(lat / size)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bbox_around(lat: float, lon: float, km: float) -> BBox:
    """A box that contains every point within `km` of (lat, lon): the index-friendly pre-filter."""
    dlat = km / 111.0
    dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return BBox(max(-180.0, lon - dlon), max(-90.0, lat - dlat),
                min(180.0, lon + dlon), min(90.0, lat + dlat))
