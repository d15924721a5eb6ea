"""One search backend per database, chosen by `connection.vendor`; same terms, same ordering.

Ordering, computed in the same portable SQL on both databases over the stored folded title and
exact keys (no BM25 or ts_rank: both need per-word statistics or the whole tsvector of every
match, which cost more than the rest of the search on common Vietnamese syllables):
1. tier  2  every word is in the title, and every word typed with diacritics matches exactly
         1  every word is in the title (after folding)
         0  the words are found in the body
2. body exact: in tier 0, documents whose body has every word typed with diacritics exactly
3. phrase: in tiers 1-2, titles where the words typed stand together, as whole words, first
   ("den hung": "Khu di tích Đền Hùng" before "Đền Mẫu Hưng Yên"; "Hà": "Bảo Hà" before "Hàng")
4. title length: in tiers 1-2, the shortest title first (the most focused on the query)
5. newest first (id), so pages never overlap.
`score` = tier + 0.5 × phrase + 0.49 / (1 + title length / 20) in the title tiers,
0.5 × body exact in tier 0.

Bounded cost for broad queries: a query matching more than RANK_LIMIT documents (a common
syllable such as "ha", two letters typed so far) is not ordered over every match. Its candidates
are the BROAD_CANDIDATES newest visible matches plus BROAD_CANDIDATES visible title matches (a
title-only full-text query; newest first on SQLite, in table order on PostgreSQL), looked for
among the BROAD_SCAN newest matches so that a narrow filter cannot make the search walk every
match; the total is then a lower bound (`exact=False`).

Each search is two statements: the ids of the first RANK_LIMIT + 1 matches (the only full-text
query for most searches), then one page, ordered over those ids (or over the broad candidates).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from vhttdl.core.search.query import ParsedQuery, QueryTerm

RANK_LIMIT = 1000  # matches ordered exhaustively; above this a query is broad
BROAD_CANDIDATES = 500  # newest matches, and newest title matches, ordered for a broad query
BROAD_SCAN = 2000  # newest matches looked at (before filters) to find those candidates


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


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    exact: bool = True  # False: `total` counts the ranked candidates of a broad query only


def _score(tier: int, phrase: int, body_exact: int, title_length: int) -> float:
    if tier > 0:
        return float(tier) + 0.5 * int(phrase) + 0.49 / (1.0 + int(title_length) / 20.0)
    return 0.5 * int(body_exact)


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
        sql, params = _words_like("d.title_folded", [term.folded], term.prefix)
        if term.alternatives:
            alt_sql, alt_params = _words_like("d.title_folded", list(term.alternatives), False)
            sql, params = f"({sql} OR {alt_sql})", params + alt_params
        in_title.append(sql)
        params_title += params
        if term.key:
            sql, params = _words_like("d.title_keys", [term.key], term.prefix)
            exact.append(sql)
            params_exact += params
    title_sql = " AND ".join(in_title)
    if not exact:
        return f"(CASE WHEN {title_sql} THEN 1 ELSE 0 END)", params_title
    exact_sql = " AND ".join(exact)
    return (f"(CASE WHEN {title_sql} THEN (CASE WHEN {exact_sql} THEN 2 ELSE 1 END) ELSE 0 END)",
            params_title + params_exact)


def body_exact_sql(query: ParsedQuery) -> tuple[str, list[str]]:
    """1 when the body has every word typed with diacritics exactly (0 when none was typed so)."""
    clauses: list[str] = []
    params: list[str] = []
    for term in query.terms:
        if term.key:
            sql, term_params = _words_like("d.body_keys", [term.key], term.prefix)
            clauses.append(sql)
            params += term_params
    if not clauses:
        return "0", []
    return f"(CASE WHEN {' AND '.join(clauses)} THEN 1 ELSE 0 END)", params


def rank_columns(query: ParsedQuery) -> tuple[str, list[str]]:
    """`tier, phrase, bexact, tlen` for the SELECT list over alias `d`, with their parameters."""
    tier, tier_params = tier_sql(query)
    bexact, bexact_params = body_exact_sql(query)
    phrase = "% " + " ".join(term.folded for term in query.terms) + " %"
    return (f"{tier} AS tier, CASE WHEN (' ' || d.title_folded || ' ') LIKE %s THEN 1 ELSE 0 END AS phrase, "
            f"{bexact} AS bexact, length(d.title_folded) AS tlen",
            [*tier_params, phrase, *bexact_params])


def _order(alias: str) -> str:
    # the phrase and the title length count in the title tiers only, body exact in tier 0 only
    return (f"{alias}.tier DESC, CASE WHEN {alias}.tier > 0 THEN {alias}.phrase ELSE 0 END DESC, "
            f"CASE WHEN {alias}.tier > 0 THEN 0 ELSE {alias}.bexact END DESC, "
            f"CASE WHEN {alias}.tier > 0 THEN {alias}.tlen ELSE 0 END, {alias}.id DESC")


class Backend:
    vendor = ""

    def search(self, query: ParsedQuery, filters: Filters, *, limit: int, offset: int) -> Page:
        ids = self.match_ids(query, RANK_LIMIT + 1)
        if not ids:
            return Page([], 0)
        if len(ids) <= RANK_LIMIT:
            return self._page(*self.ranked(query, filters, ids), limit=limit, offset=offset, exact=True)
        return self._page(*self.broad(query, filters), limit=limit, offset=offset, exact=False)

    # Each backend gives: the ids of the first `cap` matches (no filters: one full-text query),
    # the SQL for a set of ids given as one parameter, and for broad queries a `matched` SELECT
    # of (id, tier, bexact, tlen, total) with an optional WITH prelude.
    def match_ids(self, query: ParsedQuery, cap: int) -> list[int]:
        raise NotImplementedError

    def id_set(self, ids: list[int]) -> tuple[str, object]:
        raise NotImplementedError

    def ranked(self, query: ParsedQuery, filters: Filters, ids: list[int]) -> tuple[str, str, list]:
        """Order the matches found by `match_ids` without running the full-text query again."""
        rank, rank_params = rank_columns(query)
        id_sql, id_param = self.id_set(ids)
        matched = (
            f"SELECT d.id, {rank}, count(*) OVER () AS total FROM search_document d "  # noqa: S608
            f"WHERE d.id IN ({id_sql}) AND {filters.sql}"
        )
        return "", matched, [*rank_params, id_param, *filters.params]

    def broad(self, query: ParsedQuery, filters: Filters) -> tuple[str, str, list]:
        raise NotImplementedError

    def _page(self, prelude: str, matched: str, params: list, *, limit: int, offset: int,
              exact: bool) -> Page:
        """Order and cut `matched` and fetch the page's documents, in one statement."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"{prelude} SELECT {_COLUMNS}, r.tier, r.phrase, r.bexact, r.tlen, r.total FROM ("  # noqa: S608
                f"SELECT s.* FROM ({matched}) s ORDER BY {_order('s')} LIMIT %s OFFSET %s"
                f") r JOIN search_document d ON d.id = r.id ORDER BY {_order('r')}",
                [*params, limit, offset],
            )
            raw = cursor.fetchall()
            if not raw and offset:  # past the last page: still say how many there are
                cursor.execute(f"{prelude} SELECT count(*) FROM ({matched}) s", params)  # noqa: S608
                return Page([], cursor.fetchone()[0], exact)
        rows = [Row(*values[:9], score=_score(*values[9:13])) for values in raw]
        return Page(rows, int(raw[0][13]) if raw else 0, exact)


class SqliteBackend(Backend):
    """FTS5 with `unicode61 remove_diacritics 2` over the folded words and exact keys."""

    vendor = "sqlite"

    @staticmethod
    def _phrase(word: str, prefix: bool) -> str:
        return f'"{word}"*' if prefix else f'"{word}"'

    def _folded(self, term: QueryTerm) -> str:
        return " OR ".join([self._phrase(term.folded, term.prefix), *(f'"{alt}"' for alt in term.alternatives)])

    def _term(self, term: QueryTerm) -> str:
        expr = "{title_folded body_folded} : (" + self._folded(term) + ")"
        if term.key:
            expr = f"({expr}) OR ({{title_keys body_keys}} : {self._phrase(term.key, term.prefix)})"
        return f"({expr})"

    def match_expression(self, query: ParsedQuery) -> str:
        return " AND ".join(self._term(t) for t in query.terms)

    def title_expression(self, query: ParsedQuery) -> str:
        return " AND ".join("({title_folded} : (" + self._folded(t) + "))" for t in query.terms)

    def match_ids(self, query, cap):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                           [self.match_expression(query), cap])
            return [row[0] for row in cursor.fetchall()]

    def id_set(self, ids):
        return "SELECT value FROM json_each(%s)", json.dumps(ids)

    def broad(self, query, filters):
        rank, rank_params = rank_columns(query)
        newest = (
            "SELECT id FROM (SELECT f.id FROM (SELECT rowid AS id FROM search_fts "  # noqa: S608
            "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s) f "
            f"JOIN search_document d ON d.id = f.id WHERE {filters.sql} LIMIT %s)"  # streams: stops early
        )
        prelude = f"WITH m AS MATERIALIZED ({newest} UNION {newest})"
        matched = (
            f"SELECT m.id AS id, {rank}, count(*) OVER () AS total "  # noqa: S608
            "FROM m JOIN search_document d ON d.id = m.id"
        )
        params = [self.match_expression(query), BROAD_SCAN, *filters.params, BROAD_CANDIDATES,
                  self.title_expression(query), BROAD_SCAN, *filters.params, BROAD_CANDIDATES, *rank_params]
        return prelude, matched, params


class PostgresBackend(Backend):
    """Generated tsvectors (weighted whole document; title only) with GIN indexes; `simple` config."""

    vendor = "postgresql"

    @staticmethod
    def _lexeme(word: str, prefix: bool, weights: str = "") -> str:
        star = "*" if prefix else ""
        return f"{word}:{star}{weights}" if (star or weights) else word

    def _term(self, term: QueryTerm, *, weighted: bool) -> str:
        folded_w, key_w = ("BD", "AC") if weighted else ("", "")
        parts = [self._lexeme(term.folded, term.prefix, folded_w),
                 *(self._lexeme(alt, False, folded_w) for alt in term.alternatives)]
        if term.key:
            parts.append(self._lexeme(term.key, term.prefix, key_w))
        return "(" + " | ".join(parts) + ")"

    def tsquery(self, query: ParsedQuery, *, weighted: bool = True) -> str:
        return " & ".join(self._term(t, weighted=weighted) for t in query.terms)

    def match_ids(self, query, cap):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_document WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s",
                [self.tsquery(query, weighted=False), cap],
            )
            return [row[0] for row in cursor.fetchall()]

    def id_set(self, ids):
        return "SELECT unnest(%s::bigint[])", ids

    def broad(self, query, filters):
        # The candidates are materialised, then joined back by primary key (otherwise the planner
        # may hash- or merge-join the whole table). Each candidate query is left to the planner:
        # for a dense word it walks the primary key backwards and stops at the limit.
        rank, rank_params = rank_columns(query)
        tsquery = self.tsquery(query, weighted=False)
        newest = (
            "(SELECT d.id FROM (SELECT id FROM search_document "  # noqa: S608
            "WHERE {column} @@ to_tsquery('simple', %s) {order} LIMIT %s) f "
            f"JOIN search_document d ON d.id = f.id WHERE {filters.sql} ORDER BY d.id DESC LIMIT %s)"
        )
        # Title matches are taken in any order (no sort): ordered by id, the planner either walks
        # the primary key testing every row (slow when titles rarely match) or sorts every title
        # match (slow when many do); unordered, the scan stops at the limit either way.
        prelude = (
            f"WITH m AS MATERIALIZED ({newest.format(column='search_vector', order='ORDER BY id DESC')} "
            f"UNION {newest.format(column='title_vector', order='')})"
        )
        matched = (
            f"SELECT d.id, {rank}, count(*) OVER () AS total "  # noqa: S608
            "FROM m JOIN search_document d ON d.id = m.id"
        )
        params = [tsquery, BROAD_SCAN, *filters.params, BROAD_CANDIDATES,
                  tsquery, BROAD_SCAN, *filters.params, BROAD_CANDIDATES, *rank_params]
        return prelude, matched, params


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
