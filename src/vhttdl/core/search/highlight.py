"""Highlighted titles and snippets: HTML-escaped text in which only `<mark>` is markup."""

from __future__ import annotations

import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vhttdl.core.search.query import ParsedQuery
from vhttdl.core.text import tokens

SNIPPET_CHARS = 200


def _marked(text: str, query: ParsedQuery, start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for token in tokens(text[start:end]):
        a, b = start + token.start, start + token.end
        if query.matches(token.folded):
            out.append(escape(text[cursor:a]))
            out.append(f"<mark>{escape(text[a:b])}</mark>")
            cursor = b
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """The whole `text`, escaped, with every matching word in `<mark>`."""
    text = unicodedata.normalize("NFC", text or "")
    return mark_safe(_marked(text, query))  # noqa: S308 (escaped above; only <mark> is added)


def snippet(text: str, query: ParsedQuery, width: int = SNIPPET_CHARS) -> SafeString:
    """About `width` characters of `text` around its first matching word, escaped and marked."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not text:
        return mark_safe("")
    first = next((t.start for t in tokens(text) if query.matches(t.folded)), None)
    if len(text) <= width:
        return mark_safe(_marked(text, query))  # noqa: S308
    start = 0 if first is None else max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = _marked(text, query, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308
