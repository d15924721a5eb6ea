"""The offline base map: shipped in our static files, with the 34 provinces of 2025, its sources named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vhttdl

BASEMAP = Path(vhttdl.__file__).parent / "heritage/static/heritage/basemap"


def test_base_map_has_land_borders_rivers_and_the_34_provinces():
    data = json.loads((BASEMAP / "vietnam.geojson").read_text("utf-8"))
    layers: dict[str, list] = {}
    for feature in data["features"]:
        layers.setdefault(feature["properties"]["layer"], []).append(feature)
    assert set(layers) == {"land", "province", "river", "border", "label"}
    from vietnam_provinces import Province

    official = {f"{province.code:02d}" for province in Province.iter_all()}
    assert {f["properties"]["code"] for f in layers["province"]} == official and len(official) == 34
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in layers["province"])
    assert len(layers["river"]) >= 20 and len(layers["border"]) >= 5
    labels = {f["properties"]["name"] for f in layers["label"]}
    assert labels == {"Quần đảo Hoàng Sa (Việt Nam)", "Quần đảo Trường Sa (Việt Nam)"}
    assert (BASEMAP / "vietnam.geojson").stat().st_size < 400_000  # small enough for a phone


def test_base_map_states_its_sources_and_licence():
    readme = (BASEMAP / "README.md").read_text("utf-8")
    for source in ("GSHHG", "World Data Bank II", "vietnamadminunits", "LGPL"):
        assert source in readme
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (BASEMAP / "LICENSE-GSHHG.txt").read_text("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("tile_url", ["", "https://tiles.example.vn/{z}/{x}/{y}.png"])
def test_map_pages_name_the_base_map_and_keep_the_tile_setting(client, settings, tile_url):
    settings.MAP_TILE_URL = tile_url
    config = client.get("/heritage/").context["map_config"]
    assert config["basemapUrl"] == "/static/heritage/basemap/vietnam.geojson"
    assert "GSHHG" in config["basemapAttribution"] and config["tileUrl"] == tile_url
    assert client.get(config["basemapUrl"]).status_code == 200
