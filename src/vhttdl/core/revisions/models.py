"""One numbered state of any record, besides the audit log.

Keyed by content type and object id (an integer primary key), numbered 1, 2, 3... per record.
`snapshot` is the record's state after the change, `changes` the fields that changed
(`{field: [before, after]}`). The audit log says who did what; this table is the application's
own history of a record (history pages, "what did it look like on ...").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("thao tác"), max_length=40)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("phiên bản")
        verbose_name_plural = _("phiên bản")
        ordering = ["content_type", "object_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="core_revision_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}#{self.number}"
