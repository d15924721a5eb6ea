"""Vietnamese folding: the traps of DOMAIN.md §5."""

from __future__ import annotations

import pytest

from vhttdl.core.text import exact_key, fold, fold_words, folded_words, index_words, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đền Hùng", "den hung"),
        ("ĐỀN HÙNG", "den hung"),
        ("Chùa Một Cột", "chua mot cot"),
        ("Hồ Chí Minh", "ho chi minh"),
        ("ộ ế ố ẫ ỹ ự ằ ẵ ặ ữ ỡ ợ", "o e o a y u a a a u o o"),
        ("đường Đông", "duong dong"),
        ("Nghệ An", "nghe an"),
        ("", ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_accepts_decomposed_input():
    decomposed = "Mo\u0323\u0302t"  # "Một" typed as o + dot below + circumflex
    assert fold(decomposed) == "mot"


def test_fold_keeps_punctuation_and_other_characters():
    assert fold("Hội An (Quảng Nam) – 1999") == "hoi an (quang nam) – 1999"


def test_exact_key_distinguishes_syllables_that_fold_together():
    keys = {exact_key(w) for w in ["ma", "má", "mà", "mả", "mã", "mạ"]}
    assert len(keys) == 6
    assert exact_key("ma") == ""
    assert exact_key("Hà") == exact_key("hà") == "ha2"
    assert exact_key("hạ") == "ha5"
    assert exact_key("đền") == "d9e26n"


def test_exact_key_ignores_the_order_of_two_marks():
    assert exact_key("mo\u0323\u0302t") == exact_key("mo\u0302\u0323t") == exact_key("một")


def test_tokens_give_folded_words_keys_and_positions():
    text = "Đền Hùng, Phú Thọ"
    result = tokens(text)
    assert [t.folded for t in result] == ["den", "hung", "phu", "tho"]
    assert result[0].key == "d9e26n" and result[0].text == "đền"
    assert text[result[1].start:result[1].end] == "Hùng"


def test_tokens_drop_symbols_and_other_scripts():
    assert folded_words("<script>alert('x')</script> 漢 ' OR 1=1 --") == [
        "script", "alert", "x", "script", "or", "1", "1"
    ]
    assert fold_words("  Hội-An  ") == "hoi an"


def test_index_words_agree_with_tokens():
    text = "Đền Hùng, Phú Thọ; HỘI AN – 1999 漢"
    folded, keys = index_words(text)
    assert folded == [t.folded for t in tokens(text)]
    assert keys == [t.key for t in tokens(text) if t.key]
