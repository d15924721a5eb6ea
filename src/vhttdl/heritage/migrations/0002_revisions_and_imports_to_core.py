"""Move heritage's revisions into core.revisions and its import records into core.imports.

Revisions keep their number, time, actor, action, snapshot and changes; `object_type`
(heritage.site | heritage.intangible | heritage.festival) becomes the content type of the model.
Import records become import batches of the importer `heritage.sites`; their files stay where they
were (the public media storage) and are named in the batch's report under `legacy_file`, so a
batch that was waiting for its confirmation becomes `expired` (upload it again).
"""

from django.db import migrations

KIND_TO_MODEL = {"heritage.site": "site", "heritage.intangible": "intangibleheritage", "heritage.festival": "festival"}
STATE_TO_STATUS = {"committed": "committed", "rejected": "rejected", "checked": "expired"}
CHUNK = 2000


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldRevision = apps.get_model("heritage", "Revision")
    Revision = apps.get_model("revisions", "Revision")
    SiteImport = apps.get_model("heritage", "SiteImport")
    ImportBatch = apps.get_model("imports", "ImportBatch")
    types = {
        kind: ContentType.objects.get_or_create(app_label="heritage", model=model)[0]
        for kind, model in KIND_TO_MODEL.items()
    }
    last = 0
    while True:
        chunk = list(OldRevision.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            break
        Revision.objects.bulk_create(
            Revision(
                content_type=types[old.object_type],
                object_id=old.object_id,
                number=old.number,
                at=old.at,
                actor_id=old.actor_id,
                actor_name=old.actor_name,
                action=old.action,
                snapshot=old.snapshot,
                changes=old.changes,
            )
            for old in chunk
            if old.object_type in types
        )
        last = chunk[-1].pk
    for old in SiteImport.objects.order_by("pk").iterator():
        report = dict(old.report or {})
        if old.file:
            report["legacy_file"] = old.file.name
        ImportBatch.objects.create(
            importer="heritage.sites",
            status=STATE_TO_STATUS.get(old.state, "expired"),
            file="",
            original_name=old.original_name,
            file_kind=old.file_format,
            report=report,
            rows_total=old.rows_total,
            rows_bad=old.rows_bad,
            created_at=old.created_at,
            created_by_id=old.created_by_id,
            organisation_id=old.organisation_id,
            committed_at=old.committed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("heritage", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("revisions", "0001_initial"),
        ("imports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
