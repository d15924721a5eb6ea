"""A stored import batch: the uploaded file, who, which importer, the row-by-row report, the status."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Import files live in the `private` storage: never served as media."""
    from vhttdl.core.files.storage import PRIVATE, get_storage

    return get_storage(PRIVATE)


def checked_keep_hours() -> float:
    return float(getattr(settings, "IMPORT_CHECKED_KEEP_HOURS", 48))


def rejected_keep_hours() -> float:
    return float(getattr(settings, "IMPORT_REJECTED_KEEP_HOURS", 72))


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        COMMITTED = "committed", _("Đã ghi")
        REJECTED = "rejected", _("Có lỗi, không ghi")
        EXPIRED = "expired", _("Hết hạn")

    importer = models.CharField(_("loại nhập"), max_length=60)  # e.g. heritage.sites, reporting.excel
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    file = models.FileField(storage=private_storage, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file_kind = models.CharField(max_length=10)  # csv | xlsx ... (by content)
    size = models.PositiveBigIntegerField(default=0)
    # What the import is for, when it is one object (a report); empty for a whole table (sites).
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The state of the data the check read (versions); the commit compares it with the state now.
    basis = models.JSONField(default=dict)
    report = models.JSONField(default=dict)
    rows_total = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người tải lên"))
    organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)
    file_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập tệp")
        verbose_name_plural = _("các lần nhập tệp")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["importer", "created_by", "created_at"], name="import_batch_owner"),
            models.Index(fields=["status", "created_at"], name="import_batch_status"),
        ]

    def __str__(self) -> str:
        return f"{self.importer}:{self.original_name}"

    @property
    def rows_ok(self) -> int:
        return max(0, self.rows_total - self.rows_bad)

    @property
    def expires_at(self):
        return self.created_at + timedelta(hours=checked_keep_hours())

    def is_expired(self, now=None) -> bool:
        return self.status == self.Status.CHECKED and (now or timezone.now()) >= self.expires_at
