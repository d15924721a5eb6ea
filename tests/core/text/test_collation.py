"""Vietnamese alphabetical order (core/text/collation.py)."""

from __future__ import annotations

import random

import pytest

from vhttdl.core.text import sort_key, sort_vi

# Official 2025 provinces and a few traps, in the order a Vietnamese dictionary gives.
ORDERED = [
    "An Giang", "Bà Rịa", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Dak Nông", "Đà Nẵng", "Đắk Lắk",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế",
    "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình",
    "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên",
    "Thanh Hóa", "Thành phố Hồ Chí Minh", "Tuyên Quang", "Vĩnh Long",
]


def test_provinces_sort_in_vietnamese_order():
    shuffled = ORDERED[:]
    random.Random(8).shuffle(shuffled)
    assert sort_vi(shuffled) == ORDERED


@pytest.mark.parametrize(("first", "second"), [
    ("Cà Mau", "Cao Bằng"),  # the shorter word ends first; a binary sort puts "Cao" before "Cà"
    ("Dương", "Đà Nẵng"),  # đ is its own letter after d, not after z
    ("Đồng Tháp", "Gia Lai"),
    ("an", "ăn"), ("ăn", "ân"), ("o", "ô"), ("ô", "ơ"), ("u", "ư"), ("e", "ê"),
    ("ma", "mà"), ("mà", "mả"), ("mả", "mã"), ("mã", "má"), ("má", "mạ"),  # ngang huyền hỏi ngã sắc nặng
    ("Bà Rịa", "Ba Vì"),  # letters first, over the whole name; tones only break ties
    ("Quận 2", "Quận 10"),  # numbers by value
    ("Zeta", "Ωmega"),
])
def test_pairs(first, second):
    assert sort_key(first) < sort_key(second)


def test_case_spacing_punctuation_and_composition_do_not_matter():
    assert sort_key("HÀ NỘI") == sort_key("hà nội") == sort_key("  Hà   Nội ") == sort_key("Hà-Nội")
    assert sort_key("Ha\u0300 No\u0323\u0302i") == sort_key("Hà Nội")  # decomposed input


def test_key_is_digits_and_fits_the_column():
    key = sort_key("Trung tâm Huấn luyện và Thi đấu thể thao thành phố Hà Nội " * 5)
    assert key.isdigit() and len(key) <= 255
    assert sort_key("") == sort_key(None)


def test_sort_vi_with_a_key():
    rows = [{"name": "Đà Nẵng"}, {"name": "Cà Mau"}, {"name": "Cao Bằng"}]
    assert [r["name"] for r in sort_vi(rows, key=lambda r: r["name"])] == ["Cà Mau", "Cao Bằng", "Đà Nẵng"]
