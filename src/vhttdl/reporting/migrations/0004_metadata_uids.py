"""A DHIS2-style UID on every metadata object (categories, options, combos, option combos, data
elements, report forms): added empty, filled once, then made unique."""

from django.db import migrations, models

import vhttdl.core.uids

MODELS = ['Category', 'CategoryOption', 'CategoryCombo', 'CategoryOptionCombo', 'DataElement', 'ReportForm']


def fill_uids(apps, schema_editor):
    taken: set[str] = set()
    for name in MODELS:
        model = apps.get_model("reporting", name)
        rows = list(model.objects.filter(uid__isnull=True).only("pk"))
        for row in rows:
            uid = vhttdl.core.uids.generate_uid()
            while uid in taken:
                uid = vhttdl.core.uids.generate_uid()
            taken.add(uid)
            row.uid = uid
        model.objects.bulk_update(rows, ["uid"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0003_datavalue_lean_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.AddField(
            model_name="categoryoption",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.AddField(
            model_name="categorycombo",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.AddField(
            model_name="categoryoptioncombo",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.AddField(
            model_name="dataelement",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.AddField(
            model_name="reportform",
            name="uid",
            field=models.CharField(editable=False, max_length=11, null=True, verbose_name="UID"),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="category",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
        migrations.AlterField(
            model_name="categoryoption",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
        migrations.AlterField(
            model_name="categorycombo",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
        migrations.AlterField(
            model_name="categoryoptioncombo",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
        migrations.AlterField(
            model_name="dataelement",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
        migrations.AlterField(
            model_name="reportform",
            name="uid",
            field=models.CharField(
                default=vhttdl.core.uids.generate_uid, editable=False, max_length=11, unique=True,
                verbose_name="UID", help_text="Mã định danh kiểu DHIS2 (11 ký tự), cố định.",
            ),
        ),
    ]
