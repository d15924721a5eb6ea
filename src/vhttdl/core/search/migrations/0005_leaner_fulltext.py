"""Leaner full-text structures: only folded words are matched, prefixes are indexed words.

Exact keys are no longer matched by the full-text index: a word typed with diacritics also
matches its folded form, so the keys only rank (LIKE over `title_keys` / `body_keys`).

SQLite: the FTS5 table keeps the folded columns only, without positions (`detail=column`: no
phrase queries are made) or per-column sizes (no BM25): a third of the size, quicker to write.
A second, small FTS5 table holds the folded titles alone (`search_title_fts`), for the title
candidates of broad queries: a column filter on the first still reads the whole posting list of
every word (6-8 ms for five common words at 200,000 documents, under 3 ms on titles alone).
Both are kept by triggers, which leave them alone when an update does not change the words.

PostgreSQL: GIN has no prefix index, and a prefix query (`th:*`) merges the posting lists of
every word that begins with it before intersecting them with the other words: 40 ms for
`tin nguong th` at 200,000 documents. Each row now carries `search_lexemes`, written by
`core.search.services` from the same word lists: the 2- and 3-letter beginnings of its words
(`~th`, `~tha`), its title words and their beginnings with a title mark (`^den`, `^~de`), and
its kind and province (`=heritage.site`, `@25`), so that filters on them narrow the index scan.
`search_vector` is built from the folded words and those lexemes by `array_to_tsvector` (no
parser, no weights, no positions: about a fifth of the old generated cost per row), so a typed
prefix of 2 or 3 letters is one exact word that GIN intersects cheaply, and title-only queries
use the same index (the separate title tsvector and the unused trigram index are dropped).
"""

import re

from django.db import migrations

PREFIX_LENGTHS = (2, 3)
TAG_SAFE = re.compile(r"[A-Za-z0-9._-]{1,64}")

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TRIGGER IF EXISTS search_document_title_fts_update",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_title_fts",
]
_FTS = ("content='search_document', content_rowid='id', tokenize='unicode61 remove_diacritics 2', "
        "prefix='2 3', columnsize=0")
SQLITE_FORWARD = [
    *SQLITE_DROP,
    f"CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, body_folded, {_FTS}, detail=column)",
    f"CREATE VIRTUAL TABLE search_title_fts USING fts5(title_folded, {_FTS}, detail=none)",
    """CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN
         INSERT INTO search_fts(rowid, title_folded, body_folded)
         VALUES (new.id, new.title_folded, new.body_folded);
         INSERT INTO search_title_fts(rowid, title_folded) VALUES (new.id, new.title_folded);
       END""",
    """CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN
         INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded)
         VALUES ('delete', old.id, old.title_folded, old.body_folded);
         INSERT INTO search_title_fts(search_title_fts, rowid, title_folded)
         VALUES ('delete', old.id, old.title_folded);
       END""",
    # Re-indexing an object whose words did not change (most saves) leaves the indexes alone.
    """CREATE TRIGGER search_document_fts_update AFTER UPDATE ON search_document
       WHEN old.title_folded IS NOT new.title_folded OR old.body_folded IS NOT new.body_folded BEGIN
         INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded)
         VALUES ('delete', old.id, old.title_folded, old.body_folded);
         INSERT INTO search_fts(rowid, title_folded, body_folded)
         VALUES (new.id, new.title_folded, new.body_folded);
       END""",
    """CREATE TRIGGER search_document_title_fts_update AFTER UPDATE ON search_document
       WHEN old.title_folded IS NOT new.title_folded BEGIN
         INSERT INTO search_title_fts(search_title_fts, rowid, title_folded)
         VALUES ('delete', old.id, old.title_folded);
         INSERT INTO search_title_fts(rowid, title_folded) VALUES (new.id, new.title_folded);
       END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_title_fts(search_title_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    *SQLITE_DROP,
    """CREATE VIRTUAL TABLE search_fts USING fts5(
         title_keys, title_folded, body_keys, body_folded,
         content='search_document', content_rowid='id',
         tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN
         INSERT INTO search_fts(rowid, title_keys, title_folded, body_keys, body_folded)
         VALUES (new.id, new.title_keys, new.title_folded, new.body_keys, new.body_folded);
       END""",
    """CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN
         INSERT INTO search_fts(search_fts, rowid, title_keys, title_folded, body_keys, body_folded)
         VALUES ('delete', old.id, old.title_keys, old.title_folded, old.body_keys, old.body_folded);
       END""",
    """CREATE TRIGGER search_document_fts_update AFTER UPDATE ON search_document BEGIN
         INSERT INTO search_fts(search_fts, rowid, title_keys, title_folded, body_keys, body_folded)
         VALUES ('delete', old.id, old.title_keys, old.title_folded, old.body_keys, old.body_folded);
         INSERT INTO search_fts(rowid, title_keys, title_folded, body_keys, body_folded)
         VALUES (new.id, new.title_keys, new.title_folded, new.body_keys, new.body_folded);
       END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

POSTGRES_DROP_OLD = [
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_document ADD COLUMN search_lexemes text NOT NULL DEFAULT ''",
]
POSTGRES_CREATE = [
    """ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
         array_to_tsvector(array_remove(string_to_array(
             title_folded || ' ' || body_folded || ' ' || search_lexemes, ' '), ''))) STORED""",
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_lexemes",
    """ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple'::regconfig, title_keys), 'A')
         || setweight(to_tsvector('simple'::regconfig, title_folded), 'B')
         || setweight(to_tsvector('simple'::regconfig, body_keys), 'C')
         || setweight(to_tsvector('simple'::regconfig, body_folded), 'D')) STORED""",
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector)",
    """ALTER TABLE search_document ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
         to_tsvector('simple'::regconfig, title_keys || ' ' || title_folded)) STORED""",
    "ALTER TABLE search_document ALTER COLUMN title_vector SET STORAGE MAIN",
    "CREATE INDEX search_document_title_vector ON search_document USING gin (title_vector)",
    "CREATE INDEX search_document_title_trgm ON search_document USING gin (title_folded gin_trgm_ops)",
]


def _lexemes(kind: str, province_code: str, title_folded: str, body_folded: str) -> str:
    """A frozen copy of `services.postgres_lexemes` (migrations must not follow later changes)."""
    titled = set(title_folded.split())
    out: set[str] = set()
    for word in titled.union(body_folded.split()):
        out.update("~" + word[:n] for n in PREFIX_LENGTHS if len(word) >= n)
    for word in titled:
        out.add("^" + word)
        out.update("^~" + word[:n] for n in PREFIX_LENGTHS if len(word) >= n)
    for mark, value in (("=", kind), ("@", province_code)):
        if value and TAG_SAFE.fullmatch(value):
            out.add(mark + value)
    return " ".join(sorted(out))


def _fill_lexemes(cursor) -> None:
    last = 0
    while True:
        cursor.execute(
            "SELECT id, kind, province_code, title_folded, body_folded FROM search_document "
            "WHERE id > %s ORDER BY id LIMIT 2000",
            [last],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        cursor.execute(
            "UPDATE search_document d SET search_lexemes = v.lexemes "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, lexemes) WHERE d.id = v.id",
            [[r[0] for r in rows], [_lexemes(*r[1:]) for r in rows]],
        )
        last = rows[-1][0]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in POSTGRES_DROP_OLD:
            schema_editor.execute(sql)
        with schema_editor.connection.cursor() as cursor:
            _fill_lexemes(cursor)
        for sql in POSTGRES_CREATE:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_storage")]
    operations = [migrations.RunPython(forward, backward)]
