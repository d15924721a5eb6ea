"""PostgreSQL: keep the tsvector in the row.

A document row (about 3 kB with its tsvector) is over the 2 kB TOAST threshold, so PostgreSQL
moved the tsvector, the largest value, out of line: every `@@` that the index does not settle
(rechecks, filters) then costs a TOAST fetch, about 10 µs a row. Rows may now be up to 8 kB
before anything is moved out, and when something must go the tsvector goes last (STORAGE MAIN),
after the long texts. Existing rows are rewritten by the UPDATE below.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_document SET (toast_tuple_target = 8160)",
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE MAIN",
    "ALTER TABLE search_document ALTER COLUMN title_vector SET STORAGE MAIN",
    "UPDATE search_document SET title = title",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_document RESET (toast_tuple_target)",
    "ALTER TABLE search_document ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "ALTER TABLE search_document ALTER COLUMN title_vector SET STORAGE EXTENDED",
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
    dependencies = [("search", "0003_title_vector")]
    operations = [migrations.RunPython(forward, backward)]
