"""Full-text structures for each database, on top of the derived columns of search_document.

SQLite: an FTS5 table over the folded words and exact keys (tokenizer `unicode61
remove_diacritics 2`, so even a mark the Python folding missed is dropped), external content
kept in sync by triggers, with prefix indexes of 2 and 3 characters for as-you-type queries.

PostgreSQL: the `unaccent` and `pg_trgm` extensions; `vhttdl_unaccent(text)`, an IMMUTABLE
wrapper naming its dictionary and mapping đ/Đ (usable in expression indexes by any module);
a generated, weighted tsvector (A exact title keys, B folded title, C exact body keys,
D folded body) with a GIN index; and a trigram GIN index on the folded title.
"""

from django.db import migrations

SQLITE_FORWARD = [
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
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION vhttdl_unaccent(text) RETURNS text
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
         AS $$ SELECT translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dD') $$""",
    """ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('simple'::regconfig, title_keys), 'A')
         || setweight(to_tsvector('simple'::regconfig, title_folded), 'B')
         || setweight(to_tsvector('simple'::regconfig, body_keys), 'C')
         || setweight(to_tsvector('simple'::regconfig, body_folded), 'D')) STORED""",
    "CREATE INDEX search_document_vector ON search_document USING gin (search_vector)",
    "CREATE INDEX search_document_title_trgm ON search_document USING gin (title_folded gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS vhttdl_unaccent(text)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
