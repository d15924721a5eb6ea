"""Titles with the words of a query together, found by the index (issue 8, section 6).

A broad query (more matches than are ranked) ranks candidates: the newest matches and the
first title matches. A title holding every word as a phrase could be missed when its words are
common; the phrase candidates of `backends.Parts.p` find it through the index:

SQLite: the title-only FTS5 table keeps positions (`detail=full`), so `"den hung"` is a phrase
query (titles are short: the table stays small).

PostgreSQL: each row's `search_lexemes` gains a lexeme per two neighbouring title words
(`^den_hung`, see `services.postgres_lexemes`), refilled here for the rows already indexed.

Former province names (`places.py`) are added to documents as they are indexed: run
`vhttdl manage search_reindex` once after upgrading so that existing documents get them.
"""

from itertools import pairwise

from django.db import migrations

_FTS = ("content='search_document', content_rowid='id', tokenize='unicode61 remove_diacritics 2', "
        "prefix='2 3', columnsize=0")


def _title_table(detail: str) -> list[str]:
    return [
        "DROP TABLE IF EXISTS search_title_fts",
        f"CREATE VIRTUAL TABLE search_title_fts USING fts5(title_folded, {_FTS}, detail={detail})",
        "INSERT INTO search_title_fts(search_title_fts) VALUES ('rebuild')",
    ]


def _pairs(title_folded: str) -> list[str]:
    """A frozen copy of the pair lexemes of `services.postgres_lexemes`."""
    words = title_folded.split()
    return [f"^{a}_{b}" for a, b in pairwise(words)]


def _refill(cursor, *, add: bool) -> None:
    last = 0
    while True:
        cursor.execute(
            "SELECT id, title_folded, search_lexemes FROM search_document WHERE id > %s ORDER BY id LIMIT 2000",
            [last],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        lexemes = []
        for _id, title_folded, current in rows:
            kept = {w for w in current.split() if not (w.startswith("^") and "_" in w)}
            lexemes.append(" ".join(sorted(kept | set(_pairs(title_folded)) if add else kept)))
        cursor.execute(
            "UPDATE search_document d SET search_lexemes = v.lexemes "
            "FROM unnest(%s::bigint[], %s::text[]) AS v(id, lexemes) WHERE d.id = v.id",
            [[r[0] for r in rows], lexemes],
        )
        last = rows[-1][0]


def _run(schema_editor, *, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # The triggers of migration 0005 name the table, so they keep working once it is recreated.
        for sql in _title_table("full" if forward else "none"):
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _refill(cursor, add=forward)


def forward(apps, schema_editor):
    _run(schema_editor, forward=True)


def backward(apps, schema_editor):
    _run(schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_leaner_fulltext")]
    operations = [migrations.RunPython(forward, backward)]
