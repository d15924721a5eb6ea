"""The outbox of reports sent to the Government Reporting Information System, and the stand-in receiver.

Accepting a report writes one `OutboxMessage` (in the same commit as the acceptance, so nothing
is lost if the national system is down); a worker sends it, retrying with exponential backoff.
Each message carries an idempotency key (sent as the `Idempotency-Key` header) derived from the
report and its content, so a message sent twice, or the same report accepted twice unchanged,
is recorded once by the receiver.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    submission = models.ForeignKey("reporting.Submission", on_delete=models.CASCADE,
                                   related_name="forwarding_messages", verbose_name=_("báo cáo"))
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=80, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    payload = models.JSONField(_("nội dung gửi"), default=dict)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), default=timezone.now)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo chờ gửi")
        verbose_name_plural = _("báo cáo chờ gửi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return self.idempotency_key


class StandInReceipt(models.Model):
    """What the local stand-in of the national system has received (one row per idempotency key)."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    payload = models.JSONField(default=dict)
    times_received = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bản nhận thử")
        verbose_name_plural = _("bản nhận thử")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.idempotency_key
