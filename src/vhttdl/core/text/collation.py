"""Vietnamese alphabetical order: one sort key for Python sorts and for the stored `sort_name` columns.

Vietnamese dictionaries order letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
(ă, â, đ, ê, ô, ơ, ư are letters of their own, not variants), and compare tones only when the
letters are equal, in the order ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ). Upper and lower
case are equal. So "Cà Mau" < "Cao Bằng" (the word "Cà" ends first), "Bà Rịa" < "Bắc Kạn" (a < ă)
and "Điện Biên" comes after "Đà Nẵng" and after every name in D, never after Z.

`sort_key(text)` writes that order as a string of digits, so that comparing keys as plain strings
gives Vietnamese order whatever the comparison: Python's `<`, SQLite's BINARY collation, or
PostgreSQL in any database collation (C or a glibc/ICU locale compare digit strings alike). This
is why the platform stores a key rather than asking PostgreSQL for an ICU collation: SQLite and
PostgreSQL, Python and the database then agree to the letter, and no server needs ICU.

Layout: the letters' codes (two digits each; a run of digits as one number, so "Quận 2" <
"Quận 10"; spaces and punctuation as one word break), then "00", then one tone digit per letter.
Letters outside the Vietnamese alphabet (f, j, w, z) take their Latin place; other scripts sort
after Latin, by code point.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
MAX_LETTERS = 80  # the first 80 letters decide
MAX_KEY = 255  # the stored columns' length: letters part first, tones after, both cut to fit

_LEVEL_BREAK = "00"  # ends the letters: a shorter word sorts first ("ca" < "cao")
_WORD_BREAK = "01"  # spaces and punctuation, however many
_NUMBER = "02"  # then the number of digits (two digits) and the digits
_OTHER = "99"  # then the code point in seven digits

_LETTER_CODE = {letter: f"{10 + i:02d}" for i, letter in enumerate(ALPHABET)}

# Combining marks that make a letter of its own (ă â ê ô ơ ư) and tone marks (in dictionary order).
_QUALITY = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_STROKE = {"đ": "đ", "ð": "đ"}
_TOKEN = re.compile(r"\d+|\w|[^\w]+", re.UNICODE)


def _letter(ch: str) -> tuple[str, str] | None:
    """(code, tone digit) of one lower-case letter; None for a character that is not a letter."""
    if ch in _STROKE:
        return _LETTER_CODE["đ"], "0"
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    marks = decomposed[1:]
    tone = "0"
    quality = ""
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _QUALITY:
            quality = mark
    letter = unicodedata.normalize("NFC", base + quality)
    code = _LETTER_CODE.get(letter) or _LETTER_CODE.get(base)
    if code is None:
        if not ch.isalpha():
            return None
        return f"{_OTHER}{ord(ch):07d}", "0"
    return code, tone


@lru_cache(maxsize=50_000)
def sort_key(text: str | None) -> str:
    """The Vietnamese sort key of `text` (see the module docstring). Equal keys: equal for sorting."""
    if not text:
        return _LEVEL_BREAK
    text = unicodedata.normalize("NFC", text).strip().lower()
    letters: list[str] = []
    tones: list[str] = []
    count = 0
    for token in _TOKEN.findall(text):
        if count >= MAX_LETTERS:
            break
        if token.isdigit():
            digits = token.lstrip("0") or "0"
            letters.append(f"{_NUMBER}{min(len(digits), 99):02d}{digits[:99]}")
            count += len(digits)
            continue
        found = _letter(token) if len(token) == 1 else None
        if found is None:
            if letters and letters[-1] != _WORD_BREAK:
                letters.append(_WORD_BREAK)
            continue
        code, tone = found
        letters.append(code)
        tones.append(tone)
        count += 1
    while letters and letters[-1] == _WORD_BREAK:
        letters.pop()
    primary = "".join(letters)[: MAX_KEY - len(_LEVEL_BREAK) - MAX_LETTERS]
    return (primary + _LEVEL_BREAK + "".join(tones))[:MAX_KEY]


def sort_vi(items: Iterable[T], key: Callable[[T], str | None] | None = None) -> list[T]:
    """`items` in Vietnamese alphabetical order of `key(item)` (the item itself by default)."""
    if key is None:
        return sorted(items, key=lambda item: sort_key(str(item)))
    get = key
    return sorted(items, key=lambda item: sort_key(get(item)))
