"""Vietnamese text folding: the one place that decides how "Đền Hùng" and "den hung" meet.

`fold("Đền Hùng")` → "den hung": lower case, every combining mark removed (tones and the
circumflex/breve/horn, so letters with two marks such as ộ ế ố fold too), and đ/Đ → d, which
Unicode does not decompose. Search, imports and duplicate checks all use these functions so
that the database (FTS5, PostgreSQL) and Python agree on what a folded word is.

`tokens(text)` splits into words and gives each word's folded form (ASCII letters and digits
only) and, for words that carry marks, an *exact key*: an ASCII spelling that keeps the marks
(VNI-style digits: "hà" → "ha2", "hạ" → "ha5", "đền" → "d9e62n"). Keys let the search rank a
match typed with the same diacritics above one that only matches after folding, without relying
on the database's locale (a C-ctype PostgreSQL or SQLite both handle ASCII the same way).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# đ/Đ have no Unicode decomposition: NFD leaves them alone, so they are mapped by hand.
_STROKE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

# Combining marks → the VNI digit for that mark; unknown marks share "0".
_MARK_CODES = {
    "\u0301": "1",  # sắc (acute)
    "\u0300": "2",  # huyền (grave)
    "\u0309": "3",  # hỏi (hook above)
    "\u0303": "4",  # ngã (tilde)
    "\u0323": "5",  # nặng (dot below)
    "\u0302": "6",  # circumflex (â ê ô)
    "\u031b": "7",  # horn (ơ ư)
    "\u0306": "8",  # breve (ă)
}

_WORD = re.compile(r"[^\W_]+")
_NON_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


# Precomposed Latin letters (all of Vietnamese) → folded, so the common case is one translate().
_FOLD_TABLE = {
    cp: folded
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))
    if (folded := _slow_fold(chr(cp))) != chr(cp).lower()
}
_FOLD_TABLE.update(_STROKE)


def fold(text: str) -> str:
    """Lower-case `text`, drop every diacritic and map đ/Đ to d. Other characters are kept."""
    if not text:
        return ""
    folded = text.lower().translate(_FOLD_TABLE)
    if _COMBINING.search(folded):  # decomposed input or marks on other letters
        return _slow_fold(folded)
    return folded


def exact_key(word: str) -> str:
    """An ASCII spelling of one lower-case word that keeps its marks; "" when it has none.

    Marks are written as digits after the letter that carries them, ordered by mark code so that
    "ộ" typed as o+dot+circumflex or o+circumflex+dot gives the same key ("o56").
    """
    word = unicodedata.normalize("NFC", word.lower())
    if fold(word) == word:
        return ""
    parts: list[str] = []
    for ch in word:
        if ch in "đð":
            parts.append("d9")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        marks = sorted(_MARK_CODES.get(c, "0") for c in decomposed if unicodedata.combining(c))
        parts.append(base + "".join(marks))
    key = _NON_ASCII_ALNUM.sub("", "".join(parts))
    return key


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, str]:
    """(folded ASCII form, exact key) of one lower-case NFC word; words repeat, so cached."""
    return _NON_ASCII_ALNUM.sub("", fold(word)), exact_key(word)


@dataclass(frozen=True)
class Token:
    """One word of a text: as written (lower case), folded, its exact key, and where it was."""

    text: str
    folded: str
    key: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of `text`, each with its folded form (ASCII letters and digits) and exact key.

    Words that fold to nothing in ASCII (another script, symbols) are skipped: the search
    indexes what a Vietnamese or English keyboard can type.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFC", text)
    out: list[Token] = []
    for match in _WORD.finditer(text):
        word = match.group().lower()
        folded, key = _word(word)
        if folded:
            out.append(Token(word, folded, key, match.start(), match.end()))
    return out


def index_words(text: str) -> tuple[list[str], list[str]]:
    """(folded words, exact keys) of `text`, in order: `tokens` without positions, for indexing fast."""
    if not text:
        return [], []
    folded_out: list[str] = []
    keys_out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        folded, key = _word(word)
        if folded:
            folded_out.append(folded)
            if key:
                keys_out.append(key)
    return folded_out, keys_out


def folded_words(text: str) -> list[str]:
    """The folded words of `text` in order ("Chùa Một Cột" → ["chua", "mot", "cot"])."""
    return [t.folded for t in tokens(text)]


def fold_words(text: str) -> str:
    """The folded words of `text` joined by single spaces: a normal form for comparing names."""
    return " ".join(folded_words(text))
