"""One search backend per database, chosen by `connection.vendor`; same terms, same ordering.

Matching uses folded words only (a word typed with diacritics matches its folded form as well,
so exact keys would add nothing to the match); the keys only rank.

Ordering, computed in the same portable SQL on both databases over the stored folded title and
exact keys (no BM25 or ts_rank: both need per-word statistics or the whole tsvector of every
match, which cost more than the rest of the search on common Vietnamese syllables; and a title
holding every word typed must come first however common its words are, where BM25 would put
a title with one rare word of the query first):
1. tier  2  every word is in the title, and every word typed with diacritics matches exactly
         1  every word is in the title (after folding)
         0  the words are found in title and body together
2. phrase: in tiers 1-2, titles where the words typed stand together, as whole words, first
   ("den hung": "Khu di tích Đền Hùng" before "Đền Mẫu Hưng Yên"; "Hà": "Bảo Hà" before "Hàng")
3. title words: in tier 0, how many of the words the title has ("pho co hoi an": "Đô thị cổ Hội
   An" before a body that mentions the old town)
4. pairs: how many neighbouring pairs of the words stand together in the title
5. body exact: in tier 0, documents whose body has every word typed with diacritics exactly
6. title length: where the title has a word of the query, the shortest title first (the most
   focused on the query)
7. newest first (id), so pages never overlap.
`score` is one number in the same order (see `_score`): [tier, tier + 1) in the title tiers,
[0, 1) in tier 0.

Each search first reads (`m`) the first RANK_LIMIT + 1 matches (the newest on SQLite, where
FTS5 reads its index backwards; in table order on PostgreSQL, so that the scan stops at the
limit; on PostgreSQL within the kind and province filters, which are index words there) with
whether the actor may see them and the title and keys that rank them. When there are no more
than RANK_LIMIT, every visible match is ordered and the total is exact. A query matching more (a common syllable
such as "ha", two letters typed so far) is broad: its candidates are the BROAD_CANDIDATES newest
visible ones among those matches, plus up to BROAD_CANDIDATES visible title matches (a
title-only query that looks at BROAD_SCAN title matches at most), plus as many visible titles
with the words together (a phrase query on the titles: however many titles have the words,
the ones that hold them as typed are ranked), plus — only when the filters
left fewer than BROAD_CANDIDATES — visible matches among the first BROAD_SCAN, so that a narrow
filter still finds what it keeps without walking every match. The total of a broad query is the
number of candidates (`exact=False`).

The candidates (`c0`) carry only their id and how many of the words their title has (`tw`);
the other ranking columns are computed for the candidates that can reach the page only: the
order puts more title words first, so those are the ones with at least the `tw` of the page's
last candidate by `tw` (`Parts.with_candidates`; on a full-title query, the few with most of
its words, instead of every one of up to 1,500).

PostgreSQL does all of it in one statement: the broad-only parts sit behind conditions on the
size of `m`, which it evaluates first, so it never reads them for a narrow query. SQLite reads
every part of a statement it is given, so there a broad query takes a second statement, which
reuses the ids of the newest visible matches found by the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db import connection

from vhttdl.core.search.query import ParsedQuery, QueryTerm, completions
from vhttdl.core.search.services import (
    KIND_MARK,
    PAIR_MARK,
    PREFIX_LENGTHS,
    PREFIX_MARK,
    PROVINCE_MARK,
    TITLE_MARK,
    tag_lexeme,
)

RANK_LIMIT = 1000  # matches ordered exhaustively; above this a query is broad
BROAD_CANDIDATES = 500  # visible matches, and visible title matches, ordered for a broad query
BROAD_SCAN = 2000  # matches (and title matches) looked at, before filters, to find those candidates
MAX_PHRASES = 8  # spellings of a phrase looked up (a typo's corrections multiply them)


@dataclass(frozen=True)
class Filters:
    """A WHERE fragment over the document alias `d`, with its parameters. `kinds` and
    `province_code` repeat the kind and province conditions it holds, for a backend that can also
    narrow its index scan with them."""

    sql: str
    params: list
    kinds: tuple[str, ...] = ()
    province_code: str = ""


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


def _row(columns: tuple[Any, ...] | list[Any], score: float) -> Row:
    """A hit from the first nine columns of a result line (in Row's order) and its score."""
    id_, kind, object_id, title, title_en, body, body_en, url, province_code = columns
    return Row(id_, kind, object_id, title, title_en, body, body_en, url, province_code, score)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    exact: bool = True  # False: `total` counts the ranked candidates of a broad query only


def phrase_spellings(query: ParsedQuery) -> list[tuple[str, ...]]:
    """The word sequences a title with the query's words together may have: each word as typed or
    one of its corrections (the last, while typed, as typed only). Only the words as typed when
    the corrections would give more than MAX_PHRASES."""
    options = [[t.folded] if t.prefix else [t.folded, *t.alternatives] for t in query.terms]
    spellings: list[tuple[str, ...]] = [()]
    for choice in options:
        spellings = [(*words, word) for words in spellings for word in choice]
        if len(spellings) > MAX_PHRASES:
            return [tuple(t.folded for t in query.terms)]
    return spellings


def _score(n_terms: int, tier: int, phrase: int, in_title: int, pairs: int, body_exact: int,
           title_length: int) -> float:
    """One number that sorts as the order does (see the module docstring): the title tiers in
    [tier, tier + 1), tier 0 in [0, 1)."""
    n = max(1, n_terms)
    focus = 0.99 / (1.0 + int(title_length) / 20.0)
    if tier > 0:
        return float(tier) + (int(phrase) * n + int(pairs) + focus) / (2 * n)
    rank = (int(in_title) * n + int(pairs)) * 2 + int(body_exact) + (focus if in_title else 0.0)
    return rank / (2 * n * n)


_COLUMNS = "d.id, d.kind, d.object_id, d.title, d.title_en, d.body, d.body_en, d.url, d.province_code"
_RANKS = ("tier", "phrase", "tw", "pairs", "bexact", "tlen")  # what each part gives besides id and ok


def _words_like(column: str, words: list[str], prefix: bool) -> tuple[str, list[str]]:
    """SQL true when the space-separated `column` contains one of `words` (or a word they begin)."""
    tail = "%" if prefix else " %"
    clauses = [f"(' ' || {column} || ' ') LIKE %s" for _ in words]
    return "(" + " OR ".join(clauses) + ")", [f"% {w}{tail}" for w in words]


def _in_title(term: QueryTerm, a: str = "d") -> tuple[str, list[str]]:
    sql, params = _words_like(f"{a}.title_folded", [term.folded], term.prefix)
    if term.alternatives:
        alt_sql, alt_params = _words_like(f"{a}.title_folded", list(term.alternatives), False)
        sql, params = f"({sql} OR {alt_sql})", params + alt_params
    return sql, params


def _count(clauses: list[tuple[str, list[str]]]) -> tuple[str, list[str]]:
    """SQL for how many of `clauses` hold (0 when there are none)."""
    if not clauses:
        return "0", []
    return ("(" + " + ".join(f"(CASE WHEN {sql} THEN 1 ELSE 0 END)" for sql, _ in clauses) + ")",
            [p for _, params in clauses for p in params])


def _all_keys(query: ParsedQuery, column: str) -> tuple[str, list[str]]:
    """1 when `column` has every word typed with diacritics exactly (0 when none was typed so)."""
    clauses = [_words_like(column, [t.key], t.prefix) for t in query.terms if t.key]
    if not clauses:
        return "0", []
    return (f"(CASE WHEN {' AND '.join(sql for sql, _ in clauses)} THEN 1 ELSE 0 END)",
            [p for _, params in clauses for p in params])


def title_words_sql(query: ParsedQuery, a: str = "d") -> tuple[str, list[str]]:
    """How many of the query's words the title has (after folding; a typo's corrections count)."""
    return _count([_in_title(term, a) for term in query.terms])


def title_exact_sql(query: ParsedQuery, a: str = "d") -> tuple[str, list[str]]:
    """1 when the title has every word typed with diacritics exactly (0 when none was typed so)."""
    return _all_keys(query, f"{a}.title_keys")


def pairs_sql(query: ParsedQuery, a: str = "d") -> tuple[str, list[str]]:
    """How many neighbouring pairs of the query's words stand together in the title, as typed."""
    terms = query.terms
    clauses = []
    for first, second in pairwise(terms):
        tail = "%" if second.prefix else " %"
        clauses.append((f"(' ' || {a}.title_folded || ' ') LIKE %s", [f"% {first.folded} {second.folded}{tail}"]))
    return _count(clauses)


def body_exact_sql(query: ParsedQuery, a: str = "d") -> tuple[str, list[str]]:
    """1 when the body has every word typed with diacritics exactly (0 when none was typed so)."""
    return _all_keys(query, f"{a}.body_keys")


def rank_columns(query: ParsedQuery, a: str = "d") -> tuple[str, list[str]]:
    """`tw, tx, phrase, pairs, tlen` for the SELECT list over the rows `a` (which have the
    document's title_folded and title_keys), with their parameters (`bexact` and `tier` are
    derived from them by `Parts.ranked`)."""
    tw, tw_params = title_words_sql(query, a)
    tx, tx_params = title_exact_sql(query, a)
    pairs, pairs_params = pairs_sql(query, a)
    phrase = "% " + " ".join(term.folded for term in query.terms) + " %"  # whole words, even while typing
    return (f"{tw} AS tw, {tx} AS tx, "
            f"CASE WHEN (' ' || {a}.title_folded || ' ') LIKE %s THEN 1 ELSE 0 END AS phrase, "
            f"{pairs} AS pairs, length({a}.title_folded) AS tlen",
            [*tw_params, *tx_params, phrase, *pairs_params])


def _order(alias: str) -> str:
    # phrase counts in the title tiers only (there every word is in the title), body exact in
    # tier 0 only, the title length where the title has one of the words at least
    a = alias
    return (f"{a}.tier DESC, CASE WHEN {a}.tier > 0 THEN {a}.phrase ELSE 0 END DESC, {a}.tw DESC, "
            f"{a}.pairs DESC, CASE WHEN {a}.tier > 0 THEN 0 ELSE {a}.bexact END DESC, "
            f"CASE WHEN {a}.tw > 0 THEN {a}.tlen ELSE 0 END, {a}.id DESC")


class Backend:
    """A prefix longer than the prefix index (2 and 3 letters) is replaced by the vocabulary
    words it begins (up to MAX_COMPLETIONS, else it stays a prefix): both indexes read a long
    prefix by merging the posting lists of every word it begins first (FTS5 10 ms for
    `quan*` at 200,000 documents, where "quang" is in most bodies; GIN 33 ms for `kim khai:*`),
    while exact words are skipped through (FTS5 0.7 ms for `mieu quan OR quang OR quanh`).
    The vocabulary holds every indexed word of 2 to 64 letters (`services`)."""

    vendor = ""
    MAX_COMPLETIONS = 16
    FENCE = "OFFSET 0"  # after a subquery's WHERE: the database keeps it a subquery of its own

    def __init__(self) -> None:
        self._completions: dict[str, list[str] | None] = {}

    def completed(self, term: QueryTerm) -> list[str] | None:
        """The vocabulary words a prefix longer than the prefix index begins, or None (not such a
        prefix, too many words to list, or none: it then stays a prefix)."""
        if not term.prefix or len(term.folded) <= max(PREFIX_LENGTHS):
            return None
        if term.folded not in self._completions:  # asked once per search, not once per part
            self._completions[term.folded] = completions(term.folded, self.MAX_COMPLETIONS)
        return self._completions[term.folded] or None

    # Each backend gives the FROM … WHERE … over the document alias `d` (with its parameters) of
    # all matches, of title matches, or of titles with the words together (`phrase`), limited to
    # `cap` rows (newest first where that is free).
    def source(self, query: ParsedQuery, cap: int, *, title: bool = False, phrase: bool = False,
               filters: Filters | None = None) -> tuple[str, list]:
        raise NotImplementedError

    def search(self, query: ParsedQuery, filters: Filters, *, limit: int, offset: int) -> Page:
        raise NotImplementedError

    @staticmethod
    def _page(prelude: tuple[str, list], *, n_terms: int, limit: int, offset: int,
              extra: tuple[str, list] = ("NULL", [])) -> tuple[list[Row], int, int, int, object]:
        """Order the ranked candidates `c` of `prelude`, cut the page and fetch its documents, in
        one statement: (rows, candidates (`c0`), matches read, visible matches read, `extra`'s
        value).

        The page is joined to the counts `n` (one row), so that a search that finds nothing (as
        every smaller query tried before one that finds something) says so in that statement too;
        only a page past the last one takes a second statement to count the candidates."""
        sql, params = prelude
        extra_sql, extra_params = extra
        ranks = ", ".join(f"r.{column}" for column in _RANKS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} SELECT {_COLUMNS}, {ranks}, r.total, n.n_all, n.n_ok, {extra_sql} FROM n LEFT JOIN ("  # noqa: S608
                f"SELECT c.*, (SELECT count(*) FROM c0) AS total FROM c ORDER BY {_order('c')} LIMIT %s OFFSET %s"
                f") r ON 1 = 1 LEFT JOIN search_document d ON d.id = r.id ORDER BY {_order('r')}",
                [*params, *extra_params, limit, offset],
            )
            fetched = cursor.fetchall()
            n_all, n_ok, value = int(fetched[0][16] or 0), int(fetched[0][17] or 0), fetched[0][18]
            raw = [values for values in fetched if values[0] is not None]
            if raw:
                total = int(raw[0][15])
            elif not offset:
                total = 0
            else:  # past the last page: still say how many there are
                cursor.execute(f"{sql} SELECT count(*) FROM c0", params)  # noqa: S608
                total = int(cursor.fetchone()[0] or 0)
        rows = [_row(values[:9], _score(n_terms, *values[9:15])) for values in raw]
        return rows, total, n_all, n_ok, value


_RAW = "d.title_folded, d.title_keys, d.body_keys"  # what the ranking columns are computed from


class Parts:
    """The WITH clauses of a search (see the module docstring): `m` the first matches, with
    whether the actor may see them and what ranks them, `n` their counts, `t` visible title
    matches, `p` visible titles with the words together (None for a one-word query, where `t` is
    that), `b` visible matches among more of the matches. Each search picks its candidates `c`
    from them and computes the ranking columns of those only (`ranked`): a broad query ranks
    none of `m` but its newest visible matches."""

    def __init__(self, backend: Backend, query: ParsedQuery, filters: Filters):
        self.n_terms = len(query.terms)
        self._query = query
        self._rank = rank_columns(query, "r")
        self._tw = title_words_sql(query, "r")
        self._fence = backend.FENCE
        head = f"SELECT d.id, ({filters.sql}) AS ok, {_RAW} "

        def part(cap: int, **kind) -> tuple[str, list]:
            source, params = backend.source(query, cap, filters=filters, **kind)
            return head + source, [*filters.params, *params]

        m_sql, m_params = part(RANK_LIMIT + 1)
        self.m = (f"m AS MATERIALIZED ({m_sql}), "  # noqa: S608 (built here; values are parameters)
                  "n AS MATERIALIZED (SELECT count(*) AS n_all, "
                  "coalesce(sum(CASE WHEN ok THEN 1 ELSE 0 END), 0) AS n_ok FROM m)", m_params)
        self.t = self._visible("t", *part(BROAD_SCAN, title=True))
        self.p = self._visible("p", *part(BROAD_SCAN, phrase=True)) if self.n_terms > 1 else None
        self.b = self._visible("b", *part(BROAD_SCAN))

    def ranked(self, rows: str, params: list | tuple = ()) -> tuple[str, list]:
        """The ranking columns (and `tier`) of the rows `r` of `rows` (FROM … WHERE …, rows with
        an id and the columns of `_RAW`)."""
        # tier: 2 every word in the title and the ones typed with diacritics exactly, 1 every word
        # in the title after folding, 0 otherwise (n_terms is an int of ours, not input). Body
        # exact only ranks in tier 0, so it is only computed there. The fence keeps the database
        # from merging the two SELECTs (which would put the expression of `tw` in each place
        # that uses it).
        rank, rank_params = self._rank
        bexact, bexact_params = body_exact_sql(self._query, "x")
        n = int(self.n_terms)
        return (f"SELECT x.id, x.tw, x.tx, x.phrase, x.pairs, "  # noqa: S608
                f"CASE WHEN x.tw = {n} THEN 0 ELSE {bexact} END AS bexact, x.tlen, "
                f"CASE WHEN x.tw = {n} THEN 1 + x.tx ELSE 0 END AS tier "
                f"FROM (SELECT r.id, r.body_keys, {rank} FROM {rows} {self._fence}) x",
                [*bexact_params, *rank_params, *params])

    @staticmethod
    def _visible(name: str, sql: str, params: list) -> tuple[str, list]:
        return (f"{name} AS MATERIALIZED (SELECT * FROM ({sql}) y WHERE y.ok LIMIT %s)",  # noqa: S608
                [*params, BROAD_CANDIDATES])

    def light(self, rows: str, params: list | tuple = ()) -> tuple[str, list]:
        """The id and `tw` (how many of the words the title has) of the rows `r` of `rows`."""
        tw, tw_params = self._tw
        return f"SELECT r.id, {tw} AS tw FROM {rows}", [*tw_params, *params]  # noqa: S608

    def with_candidates(self, *clauses: tuple[str, list], candidates: str, params: list,
                        depth: int) -> tuple[str, list]:
        """`WITH` the clauses, the candidates `c0` (ids and `tw`, from `light` selects) and the
        ranked ones `c`: only those whose `tw` is at least that of the `depth`-th candidate by
        `tw`. The order puts more title words first before anything else (every word in the
        title is tier 1 or 2, tiers 0 order by `tw` next), so the first `depth` candidates are
        among them, and the others need no ranking columns."""
        ranked, ranked_params = self.ranked(
            "c0 JOIN search_document r ON r.id = c0.id "
            "WHERE c0.tw >= coalesce((SELECT tw FROM c0 ORDER BY tw DESC LIMIT 1 OFFSET %s), 0)",
            [max(0, depth - 1)])
        sql = ("WITH " + ", ".join(c[0] for c in clauses)
               + f", c0 AS MATERIALIZED ({candidates}), c AS ({ranked})")
        return sql, [p for c in clauses for p in c[1]] + params + ranked_params


class SqliteBackend(Backend):
    """FTS5 (`unicode61 remove_diacritics 2`, prefix indexes of 2 and 3 letters) over the folded
    title and body, and over the folded title alone, both read newest first (see migration 0005).

    SQLite materialises every CTE it is given, so a broad query takes a second statement: the
    first returns, with its page, the ids of the BROAD_CANDIDATES newest visible matches, and the
    second ranks them with the title candidates (and, when the filters kept fewer than that,
    with the visible ones among the BROAD_SCAN newest matches).
    """

    vendor = "sqlite"
    FENCE = "LIMIT -1 OFFSET 0"
    NEWEST_VISIBLE = "(SELECT json_group_array(id) FROM (SELECT id FROM m WHERE ok ORDER BY id DESC LIMIT %s))"

    @staticmethod
    def _phrase(word: str, prefix: bool) -> str:
        return f'"{word}"*' if prefix else f'"{word}"'

    def _folded(self, term: QueryTerm) -> str:
        found = self.completed(term)
        ways = [f'"{word}"' for word in found] if found else [self._phrase(term.folded, term.prefix)]
        return " OR ".join([*ways, *(f'"{alt}"' for alt in term.alternatives)])

    def match_expression(self, query: ParsedQuery) -> str:
        return " AND ".join(f"({self._folded(t)})" for t in query.terms)

    @staticmethod
    def phrase_expression(query: ParsedQuery) -> str:
        """Titles with the words together: one FTS5 phrase per spelling (a typo's corrections
        give more, up to MAX_PHRASES; past that only the words as typed)."""
        spellings = phrase_spellings(query)
        tail = "*" if query.terms[-1].prefix else ""
        return " OR ".join(f'"{" ".join(words)}"{tail}' for words in spellings)

    def source(self, query, cap, *, title=False, phrase=False, filters=None):
        table = "search_title_fts" if title or phrase else "search_fts"
        match = self.phrase_expression(query) if phrase else self.match_expression(query)
        return (f"FROM (SELECT rowid AS id FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC "  # noqa: S608
                "LIMIT %s) f JOIN search_document d ON d.id = f.id", [match, cap])

    def search(self, query, filters, *, limit, offset):
        parts = Parts(self, query, filters)
        # the matches are ranked only when they are few enough to be ordered (a condition SQLite
        # evaluates once, before it reads `m`)
        light_sql, light_params = parts.light("m r WHERE r.ok AND (SELECT n_all FROM n) <= %s", [RANK_LIMIT])
        exact = parts.with_candidates(parts.m, candidates=light_sql, params=light_params, depth=offset + limit)
        rows, total, n_all, n_ok, newest = self._page(exact, n_terms=parts.n_terms, limit=limit, offset=offset,
                                                      extra=(self.NEWEST_VISIBLE, [BROAD_CANDIDATES]))
        if n_all <= RANK_LIMIT:
            return Page(rows, total, True)
        n = ("n AS (SELECT %s AS n_all, %s AS n_ok)", [n_all, n_ok])
        light = [parts.light("json_each(%s) j JOIN search_document r ON r.id = j.value", [newest or "[]"]),
                 parts.light("t r")]
        clauses = [n, parts.t]
        if parts.p is not None:
            clauses.append(parts.p)
            light.append(parts.light("p r"))
        if n_ok < BROAD_CANDIDATES:  # a narrow filter: look further among the matches
            clauses.append(parts.b)
            light.append(parts.light("b r"))
        broad = parts.with_candidates(*clauses, candidates=" UNION ".join(sql for sql, _ in light),
                                      params=[p for _, params in light for p in params], depth=offset + limit)
        rows, total, *_ = self._page(broad, n_terms=parts.n_terms, limit=limit, offset=offset)
        return Page(rows, total, False)


class PostgresBackend(Backend):
    """A GIN-indexed tsvector of folded words, their 2- and 3-letter beginnings (`~th`), the
    title's words marked (`^den`, `^~de`) and the kind and province (`=heritage.site`, `@25`):
    see migration 0005. Title candidates and the kind and province filters are words of the same
    index query, so they narrow the index scan instead of the rows it returns.

    A prefix of 2 or 3 letters is one of those beginnings. A longer one is replaced by the
    vocabulary words it begins (see `Backend`; 33 ms for `kim khai:*` at 200,000 documents,
    3 ms for `kim khai`).
    """

    vendor = "postgresql"

    def _alternatives(self, term: QueryTerm) -> list[tuple[str, bool]]:
        """(lexeme, is a `:*` prefix) for each way the term may match."""
        words = [(alt, False) for alt in term.alternatives]
        if not term.prefix:
            return [(term.folded, False), *words]
        if len(term.folded) <= max(PREFIX_LENGTHS):
            return [(PREFIX_MARK + term.folded, False), *words]
        found = self.completed(term)
        if not found:  # too many to list, or none (a word longer than the vocabulary keeps)
            return [(term.folded, True), *words]
        return [(word, False) for word in found] + words

    @staticmethod
    def phrase_tsquery(query: ParsedQuery) -> str:
        """Titles with the words together: every neighbouring pair of words as one title-pair
        lexeme (`^den_hung`, see `services.postgres_lexemes`), the last a `:*` prefix while it is
        typed; one conjunction per spelling (see `phrase_spellings`)."""
        prefix = query.terms[-1].prefix
        spellings = []
        for words in phrase_spellings(query):
            pairs = [f"'{TITLE_MARK}{a}{PAIR_MARK}{b}'" for a, b in pairwise(words)]
            if prefix:
                pairs[-1] += ":*"
            spellings.append("(" + " & ".join(pairs) + ")")
        return "(" + " | ".join(spellings) + ")"

    def tsquery(self, query: ParsedQuery, *, title: bool = False, phrase: bool = False,
                filters: Filters | None = None) -> str:
        mark = TITLE_MARK if title else ""
        # Words are ASCII letters and digits only (query.parse), and tags are checked by
        # tag_lexeme, so quoting them is safe.
        parts = [self.phrase_tsquery(query)] if phrase else [
            "(" + " | ".join(f"'{mark}{word}'" + (":*" if star else "") for word, star in ways) + ")"
            for ways in (self._alternatives(t) for t in query.terms)
        ]
        if filters is not None:
            kinds = [tag_lexeme(KIND_MARK, k) for k in filters.kinds]
            if kinds and all(kinds):
                parts.append("(" + " | ".join(f"'{k}'" for k in kinds) + ")")
            province = tag_lexeme(PROVINCE_MARK, filters.province_code)
            if province:
                parts.append(f"'{province}'")
        return " & ".join(parts)

    def search(self, query, filters, *, limit, offset):
        # One statement: `t`, `p` and `b` sit behind one-time conditions on the size of `m`,
        # which PostgreSQL evaluates first, so they are only read for a broad query.
        parts = Parts(self, query, filters)
        broad = "(SELECT n_all FROM n) > %s"
        light = [
            parts.light("m r WHERE r.ok AND (SELECT n_all FROM n) <= %s", [RANK_LIMIT]),
            parts.light(f"(SELECT * FROM m WHERE ok AND {broad} ORDER BY id DESC LIMIT %s) r",  # noqa: S608
                        [RANK_LIMIT, BROAD_CANDIDATES]),
            parts.light(f"t r WHERE {broad}", [RANK_LIMIT]),
        ]
        clauses = [parts.m, parts.t, parts.b]
        if parts.p is not None:
            clauses.append(parts.p)
            light.append(parts.light(f"p r WHERE {broad}", [RANK_LIMIT]))
        light.append(parts.light(f"b r WHERE {broad} AND (SELECT n_ok FROM n) < %s", [RANK_LIMIT, BROAD_CANDIDATES]))  # noqa: S608
        prelude = parts.with_candidates(*clauses, candidates=" UNION ".join(sql for sql, _ in light),
                                        params=[p for _, params in light for p in params], depth=offset + limit)
        rows, total, n_all, _, _ = self._page(prelude, n_terms=parts.n_terms, limit=limit, offset=offset)
        return Page(rows, total, n_all <= RANK_LIMIT)

    def source(self, query, cap, *, title=False, phrase=False, filters=None):
        # No ORDER BY: the scan stops at the limit, whether the words are dense or rare. The kind
        # and province filters are in the query too (they stay in the WHERE of the caller).
        return ("FROM search_document d WHERE d.search_vector @@ %s::tsquery LIMIT %s",
                [self.tsquery(query, title=title, phrase=phrase, filters=filters), cap])


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
