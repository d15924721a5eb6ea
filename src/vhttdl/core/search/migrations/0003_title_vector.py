"""PostgreSQL: a title-only tsvector with its own GIN index, for the title candidates of broad
queries (a weight-restricted query on the whole-document index would recheck every match)."""

from django.db import migrations

POSTGRES_FORWARD = [
    """ALTER TABLE search_document ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
         to_tsvector('simple'::regconfig, title_keys || ' ' || title_folded)) STORED""",
    "CREATE INDEX search_document_title_vector ON search_document USING gin (title_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS title_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]
    operations = [migrations.RunPython(forward, backward)]
