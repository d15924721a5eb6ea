"""Reading import batches: a person sees the batches they uploaded (a superuser sees all)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vhttdl.core.imports.models import ImportBatch


def get_batch_for_actor(actor: Any, pk: Any, importer: str) -> ImportBatch:
    """The batch `pk` of `importer`: 404 if there is none, 403 if someone else uploaded it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    batch = ImportBatch.objects.filter(pk=pk, importer=importer).select_related("created_by").first()
    if batch is None:
        raise Http404(_("Không tìm thấy lần nhập."))
    if not (getattr(actor, "is_superuser", False) or (batch.created_by_id and batch.created_by_id == actor.pk)):
        raise PermissionDenied(_("Lần nhập này do người khác thực hiện."))
    return batch


def recent_batches(
    *, actor: Any, importer: str, target: models.Model | None = None, limit: int = 10
) -> QuerySet[ImportBatch]:
    """The actor's latest batches of `importer` (for `target` if given), newest first."""
    batches = ImportBatch.objects.filter(importer=importer, created_by_id=getattr(actor, "pk", None))
    if target is not None:
        batches = batches.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    return batches.order_by("-created_at", "-id")[: max(1, min(limit, 100))]
