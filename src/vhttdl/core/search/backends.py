"""One search backend per database, chosen by `connection.vendor`; same terms, same semantics.

Both rank with column weights that put exact-diacritic title matches first, then folded title
matches, then exact and folded body matches:
  SQLite      bm25(search_fts) with weights title_keys 10, title_folded 4, body_keys 2, body_folded 1
  PostgreSQL  ts_rank over the weighted tsvector (A exact title 1.0, B folded title 0.4,
              C exact body 0.2, D folded body 0.1)
Weights alone are not enough: IDF makes a word that is everywhere weigh almost nothing, so
on top of them each match gets a tier, computed the same way in portable SQL on both databases:
  2  every word is in the title, and every word typed with diacritics matches them exactly
  1  every word is in the title (after folding)
  0  otherwise (matches in the body)
Results are ordered by tier, then (title matches) by title length, then by the weighted
relevance; `score` = tier + relevance/(1+relevance).
Each backend returns one page of ids with scores and the total in one statement (a window count).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from vhttdl.core.search.query import ParsedQuery, QueryTerm


@dataclass(frozen=True)
class Filters:
    """A WHERE fragment over the document alias `d`, with its parameters."""

    sql: str
    params: list


@dataclass(frozen=True)
class Row:
    id: int
    kind: str
    object_id: str
    title: str
    title_en: str
    body: str
    body_en: str
    url: str
    province_code: str
    score: float


def _score(tier: int, relevance: float) -> float:
    relevance = max(0.0, float(relevance))
    return int(tier) + relevance / (1.0 + relevance)


_COLUMNS = "d.id, d.kind, d.object_id, d.title, d.title_en, d.body, d.body_en, d.url, d.province_code"


def _words_like(column: str, words: list[str], prefix: bool) -> tuple[str, list[str]]:
    """SQL true when the space-separated `column` contains one of `words` (or a word they begin)."""
    tail = "%" if prefix else " %"
    clauses = [f"(' ' || {column} || ' ') LIKE %s" for _ in words]
    return "(" + " OR ".join(clauses) + ")", [f"% {w}{tail}" for w in words]


def tier_sql(query: ParsedQuery) -> tuple[str, list[str]]:
    """The tier expression over alias `d` (see the module docstring) and its parameters."""
    in_title: list[str] = []
    exact: list[str] = []
    params_title: list[str] = []
    params_exact: list[str] = []
    for term in query.terms:
        prefix = term.prefix
        sql, params = _words_like("d.title_folded", [term.folded], prefix)
        if term.alternatives:
            alt_sql, alt_params = _words_like("d.title_folded", list(term.alternatives), False)
            sql, params = f"({sql} OR {alt_sql})", params + alt_params
        in_title.append(sql)
        params_title += params
        if term.key:
            sql, params = _words_like("d.title_keys", [term.key], prefix)
            exact.append(sql)
            params_exact += params
    title_sql = " AND ".join(in_title)
    if not exact:
        return f"(CASE WHEN {title_sql} THEN 1 ELSE 0 END)", params_title
    exact_sql = " AND ".join(exact)
    return (f"(CASE WHEN {title_sql} THEN (CASE WHEN {exact_sql} THEN 2 ELSE 1 END) ELSE 0 END)",
            params_title + params_exact)


class Backend:
    vendor = ""

    def search(self, query: ParsedQuery, filters: Filters, *, limit: int,
               offset: int) -> tuple[list[Row], int]:
        raise NotImplementedError

    def _count(self, match_sql: str, match_params: list, filters: Filters) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {match_sql} AND {filters.sql}", [*match_params, *filters.params])
            return cursor.fetchone()[0]

    def _run(self, matched: str, params: list, match_sql: str, match_params: list, filters: Filters, *,
             limit: int, offset: int, prelude: str = "") -> tuple[list[Row], int]:
        """Order and cut `matched` (rows of id, tier, score, tlen, total) and fetch the page's documents."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"{prelude} SELECT {_COLUMNS}, r.tier, r.score, r.total FROM ("  # noqa: S608 (no input)
                f"SELECT s.* FROM ({matched}) s ORDER BY {_order('s')} LIMIT %s OFFSET %s"
                f") r JOIN search_document d ON d.id = r.id ORDER BY {_order('r')}",
                [*params, limit, offset],
            )
            raw = cursor.fetchall()
        rows = [Row(*values[:9], score=_score(values[9], values[10])) for values in raw]
        if raw:
            return rows, int(raw[0][11])
        return [], (self._count(match_sql, match_params, filters) if offset else 0)


def _order(alias: str) -> str:
    """Tier first; among title matches the shortest title (the most focused on the query); then
    relevance; then id, so that pages never overlap."""
    return (f"{alias}.tier DESC, CASE WHEN {alias}.tier > 0 THEN {alias}.tlen ELSE 0 END, "
            f"{alias}.score DESC, {alias}.id")


class SqliteBackend(Backend):
    """FTS5 with `unicode61 remove_diacritics 2` over the folded words and exact keys."""

    vendor = "sqlite"

    @staticmethod
    def _phrase(word: str, prefix: bool) -> str:
        return f'"{word}"*' if prefix else f'"{word}"'

    def _term(self, term: QueryTerm) -> str:
        folded = [self._phrase(term.folded, term.prefix), *(f'"{alt}"' for alt in term.alternatives)]
        expr = "{title_folded body_folded} : (" + " OR ".join(folded) + ")"
        if term.key:
            expr = f"({expr}) OR ({{title_keys body_keys}} : {self._phrase(term.key, term.prefix)})"
        return f"({expr})"

    def match_expression(self, query: ParsedQuery) -> str:
        return " AND ".join(self._term(t) for t in query.terms)

    def search(self, query, filters, *, limit, offset):
        # The FTS5 scan runs alone in a materialised CTE: bm25() is only allowed when search_fts
        # drives the query, which a join or a window function in the same SELECT can prevent.
        match_sql = (
            "FROM (SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s) m "
            "JOIN search_document d ON d.id = m.id WHERE 1 = 1"
        )
        match_params = [self.match_expression(query)]
        tier, tier_params = tier_sql(query)
        prelude = (
            "WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25(search_fts, 10.0, 4.0, 2.0, 1.0) AS score "
            "FROM search_fts WHERE search_fts MATCH %s)"
        )
        matched = (
            f"SELECT m.id, {tier} AS tier, m.score, length(d.title_folded) AS tlen, "  # noqa: S608
            f"count(*) OVER () AS total FROM m JOIN search_document d ON d.id = m.id WHERE {filters.sql}"
        )
        params = [*match_params, *tier_params, *filters.params]
        return self._run(matched, params, match_sql, match_params, filters, limit=limit, offset=offset,
                         prelude=prelude)


class PostgresBackend(Backend):
    """A generated, weighted tsvector with a GIN index; `simple` configuration over ASCII words."""

    vendor = "postgresql"

    @staticmethod
    def _lexeme(word: str, prefix: bool, weights: str) -> str:
        star = "*" if prefix else ""
        return f"{word}:{star}{weights}"

    def _term(self, term: QueryTerm) -> str:
        parts = [self._lexeme(term.folded, term.prefix, "BD"), *(f"{alt}:BD" for alt in term.alternatives)]
        if term.key:
            parts.append(self._lexeme(term.key, term.prefix, "AC"))
        return "(" + " | ".join(parts) + ")"

    def tsquery(self, query: ParsedQuery) -> str:
        return " & ".join(self._term(t) for t in query.terms)

    def search(self, query, filters, *, limit, offset):
        match_sql = "FROM search_document d WHERE d.search_vector @@ to_tsquery('simple', %s)"
        match_params = [self.tsquery(query)]
        tier, tier_params = tier_sql(query)
        matched = (
            f"SELECT d.id, {tier} AS tier, ts_rank(d.search_vector, to_tsquery('simple', %s)) AS score, "
            f"length(d.title_folded) AS tlen, count(*) OVER () AS total {match_sql} AND {filters.sql}"
        )
        params = [*tier_params, *match_params, *match_params, *filters.params]
        return self._run(matched, params, match_sql, match_params, filters, limit=limit, offset=offset)


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
