"""The data migration that moves heritage's revisions and import records into core."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("heritage", "0001_initial"), ("revisions", "0001_initial"), ("imports", "0001_initial")]
AFTER = [("heritage", "0003_remove_revision_and_siteimport")]


@pytest.mark.django_db(transaction=True)
def test_heritage_revisions_and_imports_move_to_core(tree):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Site = old.get_model("heritage", "Site")
    OldRevision = old.get_model("heritage", "Revision")
    SiteImport = old.get_model("heritage", "SiteImport")
    site = Site.objects.create(code="81-M", name="Đình Mẫu", province_id=tree.area_a.pk,
                               organisation_id=tree.dept_a.pk, version=2)
    at = timezone.now()
    OldRevision.objects.create(object_type="heritage.site", object_id=site.pk, number=1, actor_name="a",
                               action="created", snapshot={"name": "Đình"}, changes={"name": [None, "Đình"]})
    OldRevision.objects.create(object_type="heritage.site", object_id=site.pk, number=2, actor_name="b",
                               action="updated", snapshot={"name": "Đình Mẫu"},
                               changes={"name": ["Đình", "Đình Mẫu"]})
    SiteImport.objects.create(file="heritage/imports/2026/01/import.csv", original_name="ds.csv", file_format="csv",
                              state="checked", report={"total": 3}, rows_total=3, committed_at=None)
    SiteImport.objects.create(file="heritage/imports/2026/01/b.csv", original_name="b.csv", file_format="csv",
                              state="committed", report={"total": 1}, rows_total=1, committed_at=at)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Revision = new.get_model("revisions", "Revision")
    ContentType = new.get_model("contenttypes", "ContentType")
    ImportBatch = new.get_model("imports", "ImportBatch")
    site_type = ContentType.objects.get(app_label="heritage", model="site")
    moved = list(Revision.objects.filter(content_type=site_type, object_id=site.pk).order_by("number"))
    assert [(r.number, r.action, r.actor_name) for r in moved] == [(1, "created", "a"), (2, "updated", "b")]
    assert moved[1].changes == {"name": ["Đình", "Đình Mẫu"]} and moved[1].snapshot == {"name": "Đình Mẫu"}
    batches = {b.original_name: b for b in ImportBatch.objects.all()}
    assert batches["ds.csv"].status == "expired" and batches["ds.csv"].report["legacy_file"].endswith("import.csv")
    assert batches["b.csv"].status == "committed" and batches["b.csv"].importer == "heritage.sites"
    assert "heritage_revision" not in connection.introspection.table_names()
