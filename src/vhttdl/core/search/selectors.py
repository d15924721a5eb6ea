"""Reading the search index, scoped to what the actor may see.

Visibility (decided here, tested in tests/core/search/test_selectors.py):
- everyone, signed in or not, sees documents with `public=True`;
- non-public documents (drafts) of a module's kinds are seen only by people who hold that
  module's view action (`heritage.*` → heritage.view, `reporting.*` → reporting.view):
  with a grant at a unit that has no province (the Ministry, its agencies) for every province,
  with grants at provincial units only for documents of those provinces;
- non-public documents of any other kind are seen only by superusers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vhttdl.core.accounts.policy import held_grants
from vhttdl.core.accounts.roles import Action
from vhttdl.core.errors import InvalidInput
from vhttdl.core.search.backends import Filters, get_backend
from vhttdl.core.search.highlight import Highlighter
from vhttdl.core.search.query import MAX_QUERY_CHARS, correct_typos, parse
from vhttdl.core.units.models import Area, Organisation

MAX_LIMIT = 50
MAX_OFFSET = 10_000
MAX_KINDS = 20  # more kinds in one filter are ignored

# Which action lets a person see a module's non-public documents, by kind prefix.
PRIVATE_KIND_ACTIONS: dict[str, str] = {
    "heritage.": Action.HERITAGE_VIEW,
    "reporting.": Action.REPORTING_VIEW,
}

KIND_LABELS: dict[str, Any] = {
    "heritage.site": gettext_lazy("Di tích, danh lam thắng cảnh"),
    "heritage.intangible": gettext_lazy("Di sản văn hóa phi vật thể"),
    "heritage.festival": gettext_lazy("Lễ hội"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


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


@dataclass
class SearchResults:
    q: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    limit: int = 20
    offset: int = 0
    message: str = ""
    total_exact: bool = True  # False for very broad queries: `total` is a lower bound

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
    by_prefix = {
        prefix: {g.organisation_id for g in grants if action in g.actions}
        for prefix, action in PRIVATE_KIND_ACTIONS.items()
    }
    all_ids = set().union(*by_prefix.values())
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
    for prefix, ids in by_prefix.items():
        if not ids:
            continue
        if ids & national_ids:
            clauses.append("d.kind LIKE %s")
            params.append(prefix + "%")
            continue
        codes = sorted(set().union(*(codes_of.get(i, set()) for i in ids)))
        if codes:
            placeholders = ", ".join(["%s"] * len(codes))
            clauses.append(f"(d.kind LIKE %s AND d.province_code IN ({placeholders}))")
            params += [prefix + "%", *codes]
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
    page = get_backend().search(query, filters, limit=limit, offset=offset)
    rows, total = page.rows, page.total
    results.total_exact = page.exact
    english = language == "en"
    marker = Highlighter(query)
    for row in rows:
        title = (row.title_en if english and row.title_en else row.title)
        body = (row.body_en if english and row.body_en else row.body)
        results.hits.append(SearchHit(
            kind=row.kind, kind_label=kind_label(row.kind), object_id=row.object_id, title=title,
            title_html=marker.highlight(title), url=row.url, snippet=marker.snippet(body),
            score=round(row.score, 6), province_code=row.province_code,
        ))
    results.total = total
    if not total:
        # The query is not repeated in the message: clients may show messages as HTML.
        results.message = _("Không tìm thấy kết quả nào. Hãy thử từ khóa ngắn hơn hoặc khác.")
    return results
