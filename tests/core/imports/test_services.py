"""The dry-run import: a stored batch, commit in one transaction, staleness, double commit, expiry, purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404

from tests.core.factories import person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.files import storage
from vhttdl.core.imports.importers import CheckOutcome, CommitOutcome, Importer
from vhttdl.core.imports.models import ImportBatch
from vhttdl.core.imports.selectors import get_batch_for_actor, recent_batches
from vhttdl.core.imports.services import import_check, import_commit, imports_purge
from vhttdl.core.units.models import Organisation

pytestmark = pytest.mark.django_db
Status = ImportBatch.Status


class NamesImporter(Importer):
    """A CSV of unit names: rows "code,name"; writes the names. The basis is the names' state."""

    name = "test.names"
    accept = frozenset({"csv"})

    def _rows(self, file):
        return [line.split(",", 1) for line in file.content.decode().splitlines() if line.strip()]

    def basis(self, *, actor, target, batch):
        return {"names": sorted(Organisation.objects.values_list("code", "name"))}

    def check(self, *, actor, file, target):
        rows = self._rows(file)
        bad = [i for i, row in enumerate(rows, 1) if len(row) != 2 or not row[1].strip()]
        return CheckOutcome(report={"rows": len(rows), "bad": bad}, clean=not bad, rows_total=len(rows),
                            rows_bad=len(bad), basis=self.basis(actor=actor, target=target, batch=None))

    def commit(self, *, actor, file, target, batch, stale):
        for code, name in self._rows(file):
            Organisation.objects.filter(code=code).update(name=name)
        return CommitOutcome(report={"written": True, "stale": stale}, committed=True, rows_total=1)


class RecheckingImporter(NamesImporter):
    on_stale = "recheck"


@pytest.fixture
def private(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def officer(tree):
    return person(Role.DEPARTMENT_OFFICER, tree.dept_a)


def csv_upload(text: str, name: str = "ten.csv"):
    return SimpleUploadedFile(name, text.encode())


def test_check_stores_the_file_and_report_then_commit_writes_once(officer, tree, private):
    batch = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,Sở Mới\n"))
    assert batch.status == Status.CHECKED and batch.created_by == officer and batch.importer == "test.names"
    assert batch.report == {"rows": 1, "bad": []} and batch.original_name == "ten.csv" and batch.file_kind == "csv"
    assert storage.read_bytes(batch.file.name, alias=storage.PRIVATE) == "SO-A,Sở Mới\n".encode()
    assert Organisation.objects.get(code="SO-A").name == "Sở An"  # the check wrote nothing
    batch = import_commit(actor=officer, importer=NamesImporter(), batch=batch)
    assert batch.status == Status.COMMITTED and batch.committed_at and batch.report["written"]
    assert Organisation.objects.get(code="SO-A").name == "Sở Mới"
    assert AuditEntry.objects.filter(action="imports.batch_committed", object_id=str(batch.pk)).exists()
    with pytest.raises(Conflict) as exc:
        import_commit(actor=officer, importer=NamesImporter(), batch=batch)
    assert exc.value.code == "already_committed" and "không ghi lần thứ hai" in exc.value.message


def test_a_bad_file_stores_nothing_and_a_bad_row_is_a_rejected_batch(officer, private):
    with pytest.raises(InvalidInput):
        import_check(actor=officer, importer=NamesImporter(), upload=SimpleUploadedFile("ten.csv", b"MZ\x00\x01"))
    assert not ImportBatch.objects.exists() and not list(private.rglob("*.csv"))
    batch = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,\n"))
    assert batch.status == Status.REJECTED and batch.rows_bad == 1
    with pytest.raises(Conflict) as exc:
        import_commit(actor=officer, importer=NamesImporter(), batch=batch)
    assert exc.value.code == "batch_rejected"


def test_a_stale_batch_is_refused_and_nothing_written(officer, tree, private):
    batch = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,Sở Mới\n"))
    Organisation.objects.filter(code="SO-B").update(name="Sở Bình (đã đổi)")
    with pytest.raises(Conflict) as exc:
        import_commit(actor=officer, importer=NamesImporter(), batch=batch)
    assert exc.value.code == "stale_batch" and "chưa ghi gì" in exc.value.message
    batch.refresh_from_db()
    assert batch.status == Status.REJECTED and "stale" in batch.report
    assert Organisation.objects.get(code="SO-A").name == "Sở An"


def test_a_stale_batch_is_rechecked_when_the_importer_says_so(officer, tree, private):
    batch = import_check(actor=officer, importer=RecheckingImporter(), upload=csv_upload("SO-A,Sở Mới\n"))
    Organisation.objects.filter(code="SO-B").update(name="Sở Bình (đã đổi)")
    batch = import_commit(actor=officer, importer=RecheckingImporter(), batch=batch)
    assert batch.status == Status.COMMITTED and batch.report["stale"] and batch.report["rechecked"]


def test_an_unconfirmed_batch_expires(officer, settings, private):
    batch = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,Sở Mới\n"))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=batch.created_at - timedelta(hours=49))
    with pytest.raises(Conflict) as exc:
        import_commit(actor=officer, importer=NamesImporter(), batch=batch)
    assert exc.value.code == "batch_expired"
    batch.refresh_from_db()
    assert batch.status == Status.EXPIRED and not batch.file.name and batch.file_removed_at


def test_purge_expires_and_removes_files_after_their_time(
    officer, settings, private, django_capture_on_commit_callbacks
):
    settings.IMPORT_REJECTED_KEEP_HOURS = 1
    fresh = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,X\n"))
    old = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,Y\n"))
    bad = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,\n"))
    done = import_commit(actor=officer, importer=NamesImporter(),
                         batch=import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,Z\n")))
    ImportBatch.objects.filter(pk__in=[old.pk, done.pk]).update(created_at=old.created_at - timedelta(days=3))
    ImportBatch.objects.filter(pk=bad.pk).update(created_at=bad.created_at - timedelta(hours=2))
    files = {b.pk: b.file.name for b in (fresh, old, bad, done)}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("imports_purge")
    states = {b.pk: (b.status, bool(b.file.name)) for b in ImportBatch.objects.all()}
    assert states[fresh.pk] == (Status.CHECKED, True) and states[old.pk] == (Status.EXPIRED, False)
    assert states[bad.pk] == (Status.REJECTED, False) and states[done.pk] == (Status.COMMITTED, True)
    assert not (private / files[old.pk]).exists() and not (private / files[bad.pk]).exists()
    assert (private / files[fresh.pk]).exists() and (private / files[done.pk]).exists()
    assert imports_purge().files_removed == 0  # nothing left to do


def test_the_purge_runs_on_the_beat_schedule(settings):
    from vhttdl.core.imports.tasks import purge_imports

    entry = settings.CELERY_BEAT_SCHEDULE["core-imports-purge"]
    assert entry["task"] == purge_imports.name == "core.imports_purge" and entry["schedule"] <= 3600


def test_people_see_only_their_own_batches(officer, tree, private):
    batch = import_check(actor=officer, importer=NamesImporter(), upload=csv_upload("SO-A,X\n"))
    other = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    assert get_batch_for_actor(officer, batch.pk, "test.names") == batch
    with pytest.raises(PermissionDenied):
        get_batch_for_actor(other, batch.pk, "test.names")
    with pytest.raises(Http404):
        get_batch_for_actor(officer, batch.pk, "heritage.sites")
    assert list(recent_batches(actor=officer, importer="test.names")) == [batch]
    assert not recent_batches(actor=other, importer="test.names").exists()
