"""The outbox: messages to other systems, written in the same commit as what caused them.

A message names its destination (a system some app declares in its `module.py`), carries an
idempotency key (sent as the `Idempotency-Key` header, unique per destination, so enqueueing the
same thing twice keeps one message and the receiver records it once) and what it is about
(`subject_type`, `subject_id`: the owner app's object, which decides who sees the message). A
worker sends it, retrying with exponential backoff; after the destination's maximum attempts it
is a dead letter (status "failed"): kept, shown on the outbox page, sent again only by a person.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 120


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")  # the dead letter: no more automatic retries

    destination = models.CharField(_("nơi nhận"), max_length=64)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=KEY_MAX_LENGTH)
    subject_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    subject_id = models.PositiveBigIntegerField(_("mã đối tượng"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    payload = models.JSONField(_("nội dung gửi"), default=dict)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), default=timezone.now)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    response_code = models.PositiveIntegerField(_("mã trả lời"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin chờ gửi")
        verbose_name_plural = _("tin chờ gửi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["destination", "idempotency_key"], name="outbox_key_once_per_destination")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_message_due"),
            models.Index(fields=["destination", "subject_type", "subject_id"], name="outbox_message_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.destination}: {self.idempotency_key}"
