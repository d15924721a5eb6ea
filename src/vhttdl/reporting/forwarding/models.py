"""What the local stand-in of the national system has received.

The outbox of reports sent to the Government Reporting Information System is core's
(`vhttdl.core.outbox.models.Message`, destination "reporting.national"); its rows of before were
moved there by migration 0002.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StandInReceipt(models.Model):
    """One row per idempotency key received by the stand-in receiver (`stand_in.py`)."""

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
