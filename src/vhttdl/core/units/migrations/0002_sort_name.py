"""A stored Vietnamese sort key on areas and organisations (core.text.collation), filled for existing rows."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from vhttdl.core.text.collation import sort_key

    Area = apps.get_model("units", "Area")
    Organisation = apps.get_model("units", "Organisation")
    areas = list(Area.objects.only("pk", "name", "short_name"))
    for area in areas:
        area.sort_name = sort_key(area.short_name or area.name)
    Area.objects.bulk_update(areas, ["sort_name"], batch_size=1000)
    short = {a.pk: (a.short_name or a.name) for a in areas}
    organisations = list(Organisation.objects.only("pk", "name", "kind", "area_id"))
    for org in organisations:
        text = org.name
        if org.kind == "department" and org.area_id in short:
            text = f"{short[org.area_id]} {org.name}"
        org.sort_name = sort_key(text)
    Organisation.objects.bulk_update(organisations, ["sort_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="area",
            name="sort_name",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="organisation",
            name="sort_name",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
