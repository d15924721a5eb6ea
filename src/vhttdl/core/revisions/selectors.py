"""Reading revisions. Callers scope first (they check the actor may see the record)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from vhttdl.core.revisions.models import Revision


def revisions_of(obj: models.Model) -> QuerySet[Revision]:
    """Every revision of `obj`, newest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return Revision.objects.filter(content_type=content_type, object_id=obj.pk).order_by("-number")


def revisions_of_id(model: type[models.Model], object_id: int) -> QuerySet[Revision]:
    """Every revision of the record `model`#`object_id` (which may have been deleted), newest first."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return Revision.objects.filter(content_type=content_type, object_id=object_id).order_by("-number")
