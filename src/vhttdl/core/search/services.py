"""Writes to the search index. Every module feeds the index through these three functions.

`index_document` is an upsert of one object, meant to be called inside the caller's own
service transaction (two statements: the document row, and its new words into the vocabulary;
the full-text structures follow by trigger or generated column). `index_documents_bulk` is the
same for many objects at once (reindex, imports, benchmarks): one upsert statement per batch of
BULK_BATCH documents (COPY_BATCH on PostgreSQL), written without a model instance per row (COPY
into a temporary table on PostgreSQL, multi-row INSERT … ON CONFLICT on SQLite).

PostgreSQL's GIN index has no prefix index of its own (FTS5 has, `prefix='2 3'`), and a prefix
query such as `th:*` has to merge the posting lists of every word that begins with it before it
can intersect them with the other words. So each document also carries `search_lexemes`
(PostgreSQL only, see migration 0005): the 2- and 3-letter beginnings of its words (`~th`,
`~tha`), and its title words and their beginnings once more with a title mark (`^den`, `^~de`)
for title-only matching. A prefix of 2 or 3 letters is then one exact word of the index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.search.models import SearchDocument, SearchTerm
from vhttdl.core.search.places import former_names
from vhttdl.core.text import index_words

# Long bodies are shown whole but only their beginning is indexed: enough for a description,
# and it keeps one huge document from dominating index size and write time.
BODY_INDEX_CHARS = 20_000
MAX_TERM_LENGTH = 64
BULK_BATCH = 500
COPY_BATCH = 5000  # PostgreSQL: documents per COPY (one temporary-table round trip each)

PREFIX_LENGTHS = (2, 3)  # beginnings indexed as words on PostgreSQL (FTS5: prefix='2 3')
PREFIX_MARK = "~"
TITLE_MARK = "^"
PAIR_MARK = "_"  # between two neighbouring title words: `^den_hung` (words are a-z and 0-9)
KIND_MARK = "="
PROVINCE_MARK = "@"
_TAG_SAFE = re.compile(r"[A-Za-z0-9._-]{1,64}")

_UPDATE_FIELDS = [
    "title", "body", "title_en", "body_en", "province_code", "url", "public", "extra",
    "title_folded", "title_keys", "body_folded", "body_keys", "indexed_at",
]
# Every column written, in table order (the primary key is the database's).
_COLUMNS: list[str] = [f.column for f in SearchDocument._meta.concrete_fields if not f.primary_key]  # type: ignore[misc]


def _words(text: str) -> tuple[list[str], list[str]]:
    return index_words(text)


@lru_cache(maxsize=100_000)
def _beginnings(word: str) -> tuple[str, ...]:
    return tuple(PREFIX_MARK + word[:n] for n in PREFIX_LENGTHS if len(word) >= n)


def tag_lexeme(mark: str, value: str) -> str:
    """`=heritage.site`, `@25`: a document's kind or province as a word of PostgreSQL's index, so
    that a filter on them narrows the index scan itself; "" for a value with other characters
    (such a filter is then only checked on the rows, as it always is as well)."""
    return mark + value if value and _TAG_SAFE.fullmatch(value) else ""


def postgres_lexemes(title_words: Iterable[str], body_words: Iterable[str], *, kind: str = "",
                     province_code: str = "") -> str:
    """The words PostgreSQL's index adds to the folded ones: beginnings, title-marked words, tags.

    `~th` for every word of two letters or more that begins with "th" (so it matches the
    typed prefix "th" exactly), `^den` and `^~de` for the words of the title, `^den_hung` for
    each two neighbouring words of the title (titles with the words of a query together),
    `=kind` and `@province` (see `tag_lexeme`).
    """
    sequence = list(title_words)
    titled = set(sequence)
    out: set[str] = set()
    for word in titled.union(body_words):
        out.update(_beginnings(word))
    for word in titled:
        out.add(TITLE_MARK + word)
        out.update(TITLE_MARK + b for b in _beginnings(word))
    out.update(f"{TITLE_MARK}{a}{PAIR_MARK}{b}" for a, b in pairwise(sequence))
    out.update(t for t in (tag_lexeme(KIND_MARK, kind), tag_lexeme(PROVINCE_MARK, province_code)) if t)
    return " ".join(out)


def build_document(*, kind: str, object_id: str | int, title: str, body: str = "", title_en: str = "",
                   body_en: str = "", province_code: str = "", url: str = "", public: bool = True,
                   extra: dict | None = None, province_codes: Iterable[str] = (),
                   now=None) -> tuple[dict[str, Any], set[str], str]:
    """The row for one object (column → value), the folded words it adds to the vocabulary, and
    its `search_lexemes` for PostgreSQL.

    The former names of its province (and of `province_codes`, further provinces it belongs to)
    are words of its body for matching, not shown (see `places.former_names`): "hoi an quang
    nam" finds Hội An, in Đà Nẵng since 2025."""
    kind = (kind or "").strip()
    object_id = str(object_id if object_id is not None else "").strip()
    if not kind or len(kind) > 64 or not object_id or len(object_id) > 64:
        raise InvalidInput(_("Loại và mã đối tượng của tài liệu tìm kiếm là bắt buộc (tối đa 64 ký tự)."),
                           code="search_bad_document")
    title = (title or "").strip() or object_id
    title_folded, title_keys = _words(f"{title} {title_en or ''}")
    body_text = f"{body or ''} {_new_lines(body_en, body)}"[:BODY_INDEX_CHARS]
    body_folded, body_keys = _words(f"{body_text} {former_names(province_code, *province_codes)}")
    province = (province_code or "")[:16]
    row = {
        "kind": kind, "object_id": object_id, "province_code": province,
        "public": bool(public), "indexed_at": now or timezone.now(),
        "title_folded": " ".join(title_folded), "title_keys": " ".join(title_keys),
        "title": title, "title_en": title_en or "", "url": (url or "")[:500], "extra": extra or {},
        "body_folded": " ".join(body_folded), "body_keys": " ".join(body_keys),
        "body": body or "", "body_en": body_en or "",
    }
    words = {*title_folded, *body_folded}
    vocabulary = {w for w in words if 2 <= len(w) <= MAX_TERM_LENGTH}
    lexemes = postgres_lexemes(title_folded, body_folded, kind=kind, province_code=province)
    return row, vocabulary, lexemes


def _new_lines(text: str | None, seen: str | None) -> str:
    """The lines of `text` that `seen` does not have: an English body that repeats place names
    or an untranslated description is indexed once."""
    if not text or not seen:
        return text or ""
    have = set(seen.splitlines())
    return "\n".join(line for line in text.splitlines() if line not in have)


def _upsert(rows: list[tuple[dict[str, Any], str]]) -> None:
    """Insert or replace documents (unique on kind + object_id); each is (row, search_lexemes)."""
    if not rows:
        return
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        _upsert_copy(rows)
    else:
        _upsert_values(rows)


COPY_FROM = 20  # rows: from here a COPY into a temporary table beats one INSERT with parameters


def _updates(excluded: str, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(c)} = {excluded}.{quote(c)}" for c in columns)


def _written_columns() -> tuple[list[str], list[str]]:
    """(columns written, columns replaced on conflict) for this database."""
    if connection.vendor == "postgresql":
        return [*_COLUMNS, "search_lexemes"], [*_UPDATE_FIELDS, "search_lexemes"]
    return list(_COLUMNS), list(_UPDATE_FIELDS)


def _values(row: dict[str, Any], lexemes: str, columns: list[str], adapt_time) -> list[Any]:
    out = []
    for column in columns:
        if column == "search_lexemes":
            out.append(lexemes)
        elif column == "extra":
            out.append(json.dumps(row[column]))
        elif column == "indexed_at":
            out.append(adapt_time(row[column]))
        else:
            out.append(row[column])
    return out


def _upsert_copy(rows: list[tuple[dict[str, Any], str]]) -> None:
    # COPY into a session temporary table (emptied at commit and after use), then one
    # INSERT … ON CONFLICT: binding thousands of parameters costs more than writing the rows.
    quote = connection.ops.quote_name
    columns, updated = _written_columns()
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS search_document_incoming ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {names} FROM search_document WITH NO DATA"  # only model metadata in the SQL text
        )
        with cursor.cursor.copy(f"COPY search_document_incoming ({names}) FROM STDIN") as copy:
            for row, lexemes in rows:
                copy.write_row(_values(row, lexemes, columns, _same))
        cursor.execute(
            f"INSERT INTO search_document ({names}) SELECT {names} FROM search_document_incoming "  # noqa: S608
            f"ON CONFLICT (kind, object_id) DO UPDATE SET {_updates('EXCLUDED', updated)}"
        )
        cursor.execute("TRUNCATE search_document_incoming")


def _same(value: Any) -> Any:
    return value


def _upsert_values(rows: list[tuple[dict[str, Any], str]]) -> None:
    """One multi-row INSERT … ON CONFLICT per chunk (SQLite, and a few rows on PostgreSQL)."""
    ops = connection.ops
    quote = ops.quote_name
    columns, updated = _written_columns()
    names = ", ".join(quote(c) for c in columns)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(BULK_BATCH, 30_000 // len(columns)))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params: list[Any] = []
        for row, lexemes in chunk:
            params += _values(row, lexemes, columns, ops.adapt_datetimefield_value)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_document ({names}) VALUES {', '.join([one_row] * len(chunk))} "  # noqa: S608
                f"ON CONFLICT (kind, object_id) DO UPDATE SET {_updates('excluded', updated)}",
                params,
            )


def _add_terms(words: Iterable[str]) -> None:
    """Add new words to the vocabulary (words already there are left alone)."""
    words = sorted(set(words))
    if not words:
        return
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"INSERT INTO {table} (term) SELECT unnest(%s::varchar[]) ON CONFLICT DO NOTHING",
                           [words])
            return
        for start in range(0, len(words), 2000):
            chunk = words[start:start + 2000]
            cursor.execute(f"INSERT OR IGNORE INTO {table} (term) VALUES {', '.join(['(%s)'] * len(chunk))}",  # noqa: S608
                           chunk)


def index_document(*, kind: str, object_id: str | int, title: str, body: str = "", title_en: str = "",
                   body_en: str = "", province_code: str = "", url: str = "", public: bool = True,
                   extra: dict | None = None, province_codes: Iterable[str] = ()) -> None:
    """Add or replace the search document of one object (upsert on kind + object_id).

    `province_codes`: further provinces the object belongs to (an intangible heritage of
    several), whose former names become words of it as its own province's do."""
    row, vocabulary, lexemes = build_document(
        kind=kind, object_id=object_id, title=title, body=body, title_en=title_en, body_en=body_en,
        province_code=province_code, url=url, public=public, extra=extra, province_codes=province_codes,
    )
    # No savepoint of our own: the caller's service transaction holds both statements.
    _upsert([(row, lexemes)])
    if vocabulary:
        _add_terms(vocabulary)


def remove_document(*, kind: str, object_id: str | int) -> None:
    """Take one object out of the index; nothing happens when it was not indexed."""
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


def _batches(docs: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_documents_bulk(docs: Iterable[dict[str, Any]]) -> int:
    """Upsert many documents (each a dict of `index_document` keyword arguments); returns how many.

    Runs in one transaction: a bad document (no kind or id) stops the whole call and nothing is
    written. Within one call the last document for a (kind, object_id) wins.
    """
    count = 0
    now = timezone.now()
    vocabulary: set[str] = set()
    with transaction.atomic():
        size = COPY_BATCH if connection.vendor == "postgresql" else BULK_BATCH
        for batch in _batches(docs, size):
            rows: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
            for doc in batch:
                row, words, lexemes = build_document(**doc, now=now)
                rows[(row["kind"], row["object_id"])] = (row, lexemes)
                vocabulary |= words
            _upsert(list(rows.values()))
            count += len(batch)
            if len(vocabulary) > 50_000:  # bounded memory for a whole-index rebuild
                _add_terms(vocabulary)
                vocabulary = set()
        _add_terms(vocabulary)
    return count


def rebuild_vocabulary() -> int:
    """Replace the vocabulary with the words of the documents indexed now; returns its size."""
    words: set[str] = set()
    with transaction.atomic():
        rows = SearchDocument.objects.values_list("title_folded", "body_folded")
        for title_folded, body_folded in rows.iterator(chunk_size=2000):
            words.update(w for w in f"{title_folded} {body_folded}".split() if 2 <= len(w) <= MAX_TERM_LENGTH)
        SearchTerm.objects.all().delete()
        _add_terms(words)
    return len(words)


def optimize_index() -> None:
    """After a large rebuild: merge the FTS5 segments (SQLite), refresh the planner's statistics
    (both; on PostgreSQL VACUUM as well when outside a transaction, for the visibility map)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_title_fts(search_title_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE search_document")
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE search_document" if connection.get_autocommit()
                           else "ANALYZE search_document")
