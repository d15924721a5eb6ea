"""The dry-run import: check a file into a stored batch, then commit it in one transaction.

    batch = import_check(actor=user, importer=SitesImporter(), upload=request.FILES["file"])
    # ... the person reads batch.report ...
    batch = import_commit(actor=user, importer=SitesImporter(), batch=batch)

`import_check` runs the one upload check (core.files: name, size, type by content, archive and
pixel limits; a bad file raises InvalidInput and nothing is stored), lets the importer check every
row (it writes nothing), then stores the file in the private storage and the batch: who, which
importer, the report, the basis, and the status `checked` (clean) or `rejected`.

`import_commit` locks the batch and refuses, with a clear 409, a batch already committed (a second
click, a second tab), rejected, or expired (`IMPORT_CHECKED_KEEP_HOURS`); then compares the
importer's basis with the stored one (stale: refused or re-checked, see importers); then the
importer writes, inside the same transaction as the batch's new status.

`imports_purge` (hourly beat task, `vhttdl manage imports_purge`) expires checked batches nobody
confirmed and removes the files of rejected and expired batches after their time; the batch row and
its report stay.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vhttdl.core.accounts.models import User
from vhttdl.core.audit.services import audit_record
from vhttdl.core.errors import Conflict
from vhttdl.core.files import storage
from vhttdl.core.files.checks import CheckedFile
from vhttdl.core.files.names import stored_name
from vhttdl.core.imports.importers import Importer
from vhttdl.core.imports.models import ImportBatch, checked_keep_hours, rejected_keep_hours

logger = logging.getLogger(__name__)
Status = ImportBatch.Status


def _as_stored(value: Any) -> Any:
    """`value` as a JSON field gives it back (tuples become lists...), so that a basis compares equal."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _target_fields(target: models.Model | None) -> dict[str, Any]:
    if target is None:
        return {"target_type": None, "target_id": None}
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


def import_check(
    *,
    actor: Any,
    importer: Importer,
    upload: Any,
    target: models.Model | None = None,
    organisation: Any = None,
) -> ImportBatch:
    """Check an upload into a stored batch (see the module docstring). InvalidInput for a bad file."""
    checked = importer.check_file(upload)
    outcome = importer.check(actor=actor, file=checked, target=target)
    name = storage.store_bytes(
        checked.content, stored_name(f"imports/{importer.name.replace('.', '-')}", checked.extension),
        alias=storage.PRIVATE,
    )
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                importer=importer.name,
                status=Status.CHECKED if outcome.clean else Status.REJECTED,
                file=name,
                original_name=checked.original_name,
                file_kind=checked.kind.code,
                size=checked.size,
                basis=_as_stored(outcome.basis),
                report=outcome.report,
                rows_total=outcome.rows_total,
                rows_bad=outcome.rows_bad,
                created_by=actor if isinstance(actor, User) else None,
                organisation=organisation,
                **_target_fields(target),
            )
            audit_record(
                actor=actor,
                action="imports.batch_checked",
                obj=batch,
                object_repr=checked.original_name[:255],
                after={"importer": importer.name, "file": checked.original_name, "status": batch.status,
                       "rows": outcome.rows_total, "bad_rows": outcome.rows_bad},
            )
    except Exception:
        storage.delete_files([name], alias=storage.PRIVATE)
        raise
    return batch


def _stored_file(batch: ImportBatch, importer: Importer) -> CheckedFile:
    if not batch.file.name:
        raise Conflict(_("Tệp của lần nhập này không còn được lưu; hãy tải tệp lên lại."), code="batch_expired")
    content = storage.read_bytes(batch.file.name, alias=storage.PRIVATE, limit=importer.max_bytes() + 1)
    return importer.check_file(content, name=batch.original_name)


def _refuse_final(batch: ImportBatch) -> None:
    if batch.status == Status.COMMITTED:
        raise Conflict(
            _("Tệp “%(name)s” đã được ghi lúc %(at)s; không ghi lần thứ hai.")
            % {"name": batch.original_name, "at": date_format(timezone.localtime(batch.committed_at),
                                                               "SHORT_DATETIME_FORMAT")},
            code="already_committed",
        )
    if batch.status == Status.REJECTED:
        raise Conflict(
            _("Tệp “%(name)s” có lỗi nên không thể ghi; hãy sửa tệp rồi tải lên lại.") % {"name": batch.original_name},
            code="batch_rejected",
        )
    if batch.status == Status.EXPIRED:
        raise Conflict(_("Kết quả kiểm tra đã hết hạn; hãy tải tệp lên lại."), code="batch_expired")


def _remove_file_on_commit(batch: ImportBatch) -> None:
    name = batch.file.name
    batch.file = ""
    batch.file_removed_at = timezone.now()
    if name:
        transaction.on_commit(lambda: storage.delete_files([name], alias=storage.PRIVATE))


def _target_of(batch: ImportBatch, target: models.Model | None) -> models.Model | None:
    if batch.target_type_id is None:
        return None
    if target is None or ContentType.objects.get_for_model(target).pk != batch.target_type_id \
            or target.pk != batch.target_id:
        raise Conflict(_("Lần nhập này thuộc về một đối tượng khác."), code="wrong_target")
    return target


def import_commit(
    *, actor: Any, importer: Importer, batch: ImportBatch, target: models.Model | None = None
) -> ImportBatch:
    """Write a checked batch in one transaction (see the module docstring)."""
    if batch.importer != importer.name:
        raise ValueError(f"batch {batch.pk} belongs to {batch.importer}, not {importer.name}")
    refusal: Conflict | None = None
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _refuse_final(locked)
        target = _target_of(locked, target)
        if locked.is_expired():
            locked.status = Status.EXPIRED
            _remove_file_on_commit(locked)
            locked.save(update_fields=["status", "file", "file_removed_at"])
            refusal = Conflict(_("Kết quả kiểm tra đã hết hạn; hãy tải tệp lên lại."), code="batch_expired")
        else:
            current = _as_stored(importer.basis(actor=actor, target=target, batch=locked))
            stale = current != locked.basis
            if stale and importer.on_stale == "refuse":
                locked.status = Status.REJECTED
                locked.report = {**locked.report, "stale": {"checked": locked.basis, "now": current}}
                locked.save(update_fields=["status", "report"])
                refusal = Conflict(importer.stale_message(batch=locked, current=current), code="stale_batch",
                                   details={"checked": locked.basis, "now": current})
            else:
                outcome = importer.commit(
                    actor=actor, file=_stored_file(locked, importer), target=target, batch=locked, stale=stale
                )
                locked.report = {**outcome.report, "rechecked": stale}
                locked.rows_total, locked.rows_bad = outcome.rows_total, outcome.rows_bad
                locked.status = Status.COMMITTED if outcome.committed else Status.REJECTED
                locked.committed_at = timezone.now() if outcome.committed else None
                locked.save(update_fields=["report", "rows_total", "rows_bad", "status", "committed_at"])
                audit_record(
                    actor=actor,
                    action="imports.batch_committed" if outcome.committed else "imports.batch_rejected",
                    obj=locked,
                    object_repr=locked.original_name[:255],
                    before={"status": Status.CHECKED},
                    after={"importer": importer.name, "status": locked.status, "rows": outcome.rows_total,
                           "bad_rows": outcome.rows_bad, "rechecked": stale},
                )
    if refusal is not None:
        raise refusal
    batch.refresh_from_db()
    return batch


@dataclass
class PurgeResult:
    expired: int = 0
    files_removed: int = 0


def imports_purge(*, now=None) -> PurgeResult:
    """Expire unconfirmed checked batches and remove rejected and expired batches' files after their time."""
    now = now or timezone.now()
    result = PurgeResult()
    checked_before = now - timedelta(hours=checked_keep_hours())
    rejected_before = now - timedelta(hours=rejected_keep_hours())
    due = ImportBatch.objects.filter(
        models.Q(status=Status.CHECKED, created_at__lt=checked_before)
        | models.Q(status=Status.REJECTED, created_at__lt=rejected_before)
        | models.Q(status=Status.EXPIRED),
        file_removed_at__isnull=True,
    ).order_by("pk")
    for pk in list(due.values_list("pk", flat=True)[:10_000]):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(pk=pk).first()
            if batch is None or batch.file_removed_at is not None or batch.status == Status.COMMITTED:
                continue
            if batch.status == Status.CHECKED:
                if batch.created_at >= checked_before:
                    continue  # confirmed or re-dated meanwhile
                batch.status = Status.EXPIRED
                result.expired += 1
            had_file = bool(batch.file.name)
            _remove_file_on_commit(batch)
            batch.save(update_fields=["status", "file", "file_removed_at"])
            result.files_removed += int(had_file)
    if result.expired or result.files_removed:
        logger.info("imports purge: %s expired, %s files removed", result.expired, result.files_removed)
    return result
