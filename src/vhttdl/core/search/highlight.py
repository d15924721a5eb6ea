"""Highlighted titles and snippets: HTML-escaped text in which only `<mark>` is markup.

Matching runs one regular expression, built from the query's folded words, over the folded
text: folding Vietnamese (NFC) text keeps its length, so positions carry over to the original.
Text whose folded form has another length (rare letters that fold to two) is handled word by word.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from vhttdl.core.search.query import ParsedQuery
from vhttdl.core.text import fold, tokens

SNIPPET_CHARS = 200


def _pattern(query: ParsedQuery) -> re.Pattern:
    words: list[str] = []
    for term in query.terms:
        words.append(re.escape(term.folded) + (r"[^\W_]*" if term.prefix else ""))
        words.extend(re.escape(alt) for alt in term.alternatives)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(words) + r")(?![^\W_])")


def _spans(text: str, query: ParsedQuery, pattern: re.Pattern) -> list[tuple[int, int]]:
    folded = fold(text)
    if len(folded) == len(text):
        return [m.span() for m in pattern.finditer(folded)]
    return [(t.start, t.end) for t in tokens(text) if query.matches(t.folded)]


def _marked(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[cursor:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    return "".join(out)


class Highlighter:
    """Marks one query's words in many texts (the pattern is compiled once)."""

    def __init__(self, query: ParsedQuery):
        self.query = query
        self.pattern = _pattern(query)

    def highlight(self, text: str) -> SafeString:
        """The whole `text`, escaped, with every matching word in `<mark>`."""
        text = unicodedata.normalize("NFC", text or "")
        return mark_safe(_marked(text, _spans(text, self.query, self.pattern)))  # noqa: S308 (escaped)

    def snippet(self, text: str, width: int = SNIPPET_CHARS) -> SafeString:
        """About `width` characters of `text` around its first matching word, escaped and marked."""
        text = " ".join(unicodedata.normalize("NFC", text or "").split())
        if not text:
            return mark_safe("")
        spans = _spans(text, self.query, self.pattern)
        if len(text) <= width:
            return mark_safe(_marked(text, spans))  # noqa: S308
        first = spans[0][0] if spans else None
        start = 0 if first is None else max(0, first - width // 3)
        if first is not None and start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        body = _marked(text, spans, start, end)
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308


def highlight(text: str, query: ParsedQuery) -> SafeString:
    return Highlighter(query).highlight(text)


def snippet(text: str, query: ParsedQuery, width: int = SNIPPET_CHARS) -> SafeString:
    return Highlighter(query).snippet(text, width)
