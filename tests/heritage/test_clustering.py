"""Map geometry: bbox parsing with clear errors, the clustering grid, distances."""

from __future__ import annotations

import math

import pytest

from vhttdl.core.errors import InvalidInput
from vhttdl.heritage import clustering
from vhttdl.heritage.clustering import BBox, bbox_around, cell_size, haversine_km, parse_bbox


def test_parse_bbox_accepts_four_numbers():
    box = parse_bbox("102.1, 8.4,109.5,23.4")
    assert box == BBox(102.1, 8.4, 109.5, 23.4)
    assert box.contains(105.85, 21.03) and not box.contains(100.0, 21.0)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Thiếu tham số bbox"),
        ("1,2,3", "đúng 4 số"),
        ("1,2,3,4,5", "đúng 4 số"),
        ("a,b,c,d", "chỉ được chứa số"),
        ("105,21,<script>,22", "chỉ được chứa số"),
        ("nan,1,2,3", "vô cực hoặc NaN"),
        ("1e400,1,2,3", "vô cực hoặc NaN"),
        ("-200,10,100,20", "Kinh độ"),
        ("100,-95,101,20", "Vĩ độ"),
        ("109,8,102,23", "đảo ngược"),
        ("102,23,109,8", "đảo ngược"),
        ("102,8,102,23", "đảo ngược"),
        ("1," * 300 + "1", "quá dài"),
    ],
)
def test_parse_bbox_rejects_bad_input_with_a_clear_message(raw, fragment):
    with pytest.raises(InvalidInput) as caught:
        parse_bbox(raw)
    assert fragment in caught.value.message
    assert caught.value.code == "invalid_bbox"


def test_parse_zoom():
    box = parse_bbox("102,8,110,24")
    assert clustering.parse_zoom("7", box) == 7
    assert 0 <= clustering.parse_zoom(None, box) <= 22
    for bad in ("-1", "23", "x", "7.5"):
        with pytest.raises(InvalidInput):
            clustering.parse_zoom(bad, box)


def test_cell_size_shrinks_with_zoom_but_caps_cells_per_box():
    box = parse_bbox("102,8,110,24")
    assert cell_size(box, 4) > cell_size(box, 8)
    assert cell_size(box, 8) >= box.height / clustering.MAX_CELLS_PER_SIDE
    world = parse_bbox("-180,-85,180,85")
    # a huge box at a deep zoom still has at most MAX_CELLS_PER_SIDE cells across
    assert world.width / cell_size(world, 12) <= clustering.MAX_CELLS_PER_SIDE + 1e-9
    small = parse_bbox("105.8,21.0,105.9,21.1")
    assert cell_size(small, 12) == pytest.approx(360 / 2**12 / 4)


def test_haversine_known_distance():
    # Hà Nội (Hoàn Kiếm) to Huế (Kinh thành): about 540 km in a straight line
    distance = haversine_km(21.0285, 105.8542, 16.4674, 107.5905)
    assert 530 < distance < 550
    assert haversine_km(21.0, 105.0, 21.0, 105.0) == 0


def test_bbox_around_contains_the_circle():
    lat, lon, km = 21.0, 105.8, 20
    box = bbox_around(lat, lon, km)
    for bearing in range(0, 360, 15):
        # a point 19.9 km away in each direction lies inside the box
        dlat = 19.9 / 111.2 * math.cos(math.radians(bearing))
        dlon = 19.9 / (111.2 * math.cos(math.radians(lat))) * math.sin(math.radians(bearing))
        assert box.contains(lon + dlon, lat + dlat)
