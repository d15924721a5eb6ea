"""Reading the search index, scoped to what the actor may see.

Visibility (decided here, tested in tests/core/search/test_selectors.py):
- everyone, signed in or not, sees documents with `public=True`;
- non-public documents (drafts) of a kind are seen only by people who hold the action its module
  names for it (`SearchKind.private_action` in the module's `module.py`, e.g. heritage.view):
  with a grant at a unit that has no province (the Ministry, its agencies) for every province,
  with grants at provincial units only for documents of those provinces;
- non-public documents of any other kind are seen only by superusers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vhttdl.core.accounts.policy import held_grants
from vhttdl.core.errors import InvalidInput
from vhttdl.core.modules import registry
from vhttdl.core.search.backends import Filters, get_backend
from vhttdl.core.search.highlight import Highlighter
from vhttdl.core.search.query import MAX_QUERY_CHARS, add_neighbours, correct_typos, parse
from vhttdl.core.units.models import Area, Organisation

MAX_LIMIT = 50
MAX_OFFSET = 10_000
MAX_KINDS = 20  # more kinds in one filter are ignored

def kind_label(kind: str) -> str:
    found = registry.search_kinds().get(kind)
    return str(found.label) if found else kind


def _kind_labels() -> dict[str, str]:
    """kind → its label in the active language, for one search (translating a lazy label per hit
    cost as much as highlighting it)."""
    return {kind: str(found.label) for kind, found in registry.search_kinds().items()}


@dataclass
class SearchHit:
    kind: str
    kind_label: str
    object_id: str
    title: str
    title_html: SafeString
    url: str
    snippet: SafeString
    score: float
    province_code: str
    # "vi" when English was asked for and the document has no English title (or body): the
    # page marks that text's language, for screen readers and the English-interface test
    title_lang: str = ""
    snippet_lang: str = ""


@dataclass
class SearchResults:
    q: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    limit: int = 20
    offset: int = 0
    message: str = ""
    total_exact: bool = True  # False for very broad queries: `total` is a lower bound
    left_out: list[str] = field(default_factory=list)  # words typed that the hits do not have
    results_for: list[str] = field(default_factory=list)  # the words the hits have, when some were left out

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset else None


def visibility_filter(actor: Any) -> Filters:
    """The WHERE fragment that keeps only what `actor` may see (see the module docstring)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Filters("d.public = %s", [True])
    if actor.is_superuser:
        return Filters("1 = 1", [])
    grants = held_grants(actor)
    kinds_of_action: dict[str, list[str]] = {}
    for kind in registry.search_kinds().values():
        if kind.private_action:
            kinds_of_action.setdefault(kind.private_action, []).append(kind.kind)
    by_action = {
        action: {g.organisation_id for g in grants if action in g.actions} for action in kinds_of_action
    }
    all_ids = set().union(*by_action.values())
    if not all_ids:
        return Filters("d.public = %s", [True])
    national_ids: set[int] = set()
    codes_of: dict[int, set[str]] = {}
    # One query for every unit holding a grant: does it have a province, and which?
    rows = Organisation.objects.filter(pk__in=all_ids).values_list(
        "pk", "area__code", "area__level", "area__parent__code"
    )
    for org_id, code, level, parent_code in rows:
        if code is None:
            national_ids.add(org_id)
        else:
            codes_of[org_id] = {code if level == Area.Level.PROVINCE else (parent_code or code)}
    clauses = ["d.public = %s"]
    params: list[Any] = [True]
    for action, ids in by_action.items():
        if not ids:
            continue
        kinds = kinds_of_action[action]
        kind_in = f"d.kind IN ({', '.join(['%s'] * len(kinds))})"
        if ids & national_ids:
            clauses.append(kind_in)
            params += kinds
            continue
        codes = sorted(set().union(*(codes_of.get(i, set()) for i in ids)))
        if codes:
            placeholders = ", ".join(["%s"] * len(codes))
            clauses.append(f"({kind_in} AND d.province_code IN ({placeholders}))")
            params += [*kinds, *codes]
    return Filters("(" + " OR ".join(clauses) + ")", params)


def _filters(actor: Any, kinds: list[str] | None, province_code: str | None) -> Filters:
    visibility = visibility_filter(actor)
    sql, params = [visibility.sql], list(visibility.params)
    kinds = [k for k in (kinds or []) if k][:MAX_KINDS]
    if kinds:
        sql.append(f"d.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    if province_code:
        sql.append("d.province_code = %s")
        params.append(province_code)
    return Filters(" AND ".join(sql), params, kinds=tuple(kinds), province_code=province_code or "")


def search(*, actor: Any, q: str, kinds: list[str] | None = None, province_code: str | None = None,
           language: str = "vi", limit: int = 20, offset: int = 0) -> SearchResults:
    """Search every module's documents that `actor` may see.

    Raises InvalidInput when the query is longer than MAX_QUERY_CHARS characters. A query with no
    word in it (empty, or only punctuation) gives no hits and a message saying what to type.
    """
    raw = (q or "").lstrip()  # a trailing space matters: it ends the last word
    q = raw.strip()
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    results = SearchResults(q=q, limit=limit, offset=offset)
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidInput(
            _("Từ khóa tìm kiếm quá dài (%(length)s ký tự, tối đa %(max)s).") % {
                "length": len(q), "max": MAX_QUERY_CHARS},
            code="query_too_long", details={"max_length": MAX_QUERY_CHARS, "length": len(q)},
        )
    query = parse(raw)
    if not query:
        results.message = _("Nhập tên di tích, lễ hội, di sản hoặc địa danh để tìm kiếm.")
        return results
    query = correct_typos(query)
    filters = _filters(actor, kinds, province_code)
    backend = get_backend()
    page = backend.search(query, filters, limit=limit, offset=offset)
    if not page.total:  # leave words out, the least important first, until something is found
        for smaller in add_neighbours(query).relaxations():
            page = backend.search(smaller, filters, limit=limit, offset=offset)
            if page.total:
                kept = {(t.folded, t.key) for t in smaller.terms}  # each is one word (see query.parse)
                results.left_out = [t.text or t.folded for t in query.terms if (t.folded, t.key) not in kept]
                if results.left_out:
                    results.results_for = [t.text or t.folded for t in smaller.terms]
                query = smaller
                break
    results.total_exact = page.exact
    english = language == "en"
    marker = Highlighter(query)
    labels = _kind_labels() if page.rows else {}
    for row in page.rows:
        title = (row.title_en if english and row.title_en else row.title)
        body = (row.body_en if english and row.body_en else row.body)
        results.hits.append(SearchHit(
            kind=row.kind, kind_label=labels.get(row.kind, row.kind), object_id=row.object_id, title=title,
            title_html=marker.highlight(title), url=row.url, snippet=marker.snippet(body),
            score=round(row.score, 6), province_code=row.province_code,
            title_lang="vi" if english and not row.title_en else "",
            snippet_lang="vi" if english and not row.body_en else "",
        ))
    results.total = page.total
    # Only words reach these messages (letters and digits, see query.parse), never other input:
    # clients may show messages as HTML.
    if not page.total:
        results.message = _("Không tìm thấy kết quả nào. Hãy thử từ khóa ngắn hơn hoặc khác.")
    elif results.left_out:
        results.message = _("Không tìm thấy “%(left_out)s”; kết quả cho “%(results_for)s”.") % {
            "left_out": " ".join(results.left_out), "results_for": " ".join(results.results_for)}
    return results
