"""A DHIS2-style UID on every organisation unit: added empty, filled once, then made unique."""

from django.db import migrations, models

import vhttdl.core.uids


def fill_uids(apps, schema_editor):
    Organisation = apps.get_model("units", "Organisation")
    taken: set[str] = set()
    rows = list(Organisation.objects.filter(uid__isnull=True).only("pk"))
    for row in rows:
        uid = vhttdl.core.uids.generate_uid()
        while uid in taken:
            uid = vhttdl.core.uids.generate_uid()
        taken.add(uid)
        row.uid = uid
    Organisation.objects.bulk_update(rows, ["uid"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
    ]
