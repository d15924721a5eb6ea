"""Festivals: create and update (links to a site or an intangible heritage the actor may see)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.heritage import permissions
from vhttdl.heritage.models import Festival
from vhttdl.heritage.services.common import _revise
from vhttdl.heritage.services.records import _create, _update
from vhttdl.heritage.services.validation import validate_festival

FESTIVAL_FIELDS = (
    "code",
    "name",
    "name_en",
    "calendar",
    "month",
    "day",
    "is_leap_month",
    "duration_days",
    "date_note",
    "province",
    "commune",
    "place",
    "site",
    "intangible",
    "description",
    "description_en",
    "organisation",
)


def _check_links(actor: Any, festival: Festival) -> None:
    for linked in (
        festival.site if festival.site_id else None,
        festival.intangible if festival.intangible_id else None,
    ):
        if linked is not None and not linked.is_published and not permissions.can_view(actor, linked):
            raise InvalidInput(
                _("Không thể liên kết tới một bản ghi nháp ngoài phạm vi của bạn."),
                code="invalid_record",
                details={"fields": {"site": [linked.name]}},
            )


def festival_create(*, actor: Any, data: dict[str, Any], publish: bool = False) -> Festival:
    def validate(festival: Festival) -> None:
        validate_festival(festival)
        _check_links(actor, festival)

    with transaction.atomic():
        festival = _create(
            actor=actor,
            model=Festival,
            data=data,
            allowed=FESTIVAL_FIELDS,
            validate=validate,
            publish=publish,
        )
        _revise(actor=actor, record=festival, action="created", before=None)
    return festival


def festival_update(*, actor: Any, festival: Festival, data: dict[str, Any], version: int | None) -> Festival:
    def validate(record: Festival) -> None:
        validate_festival(record)
        _check_links(actor, record)

    with transaction.atomic():
        festival, before = _update(
            actor=actor,
            record=festival,
            data=data,
            version=version,
            allowed=FESTIVAL_FIELDS,
            validate=validate,
        )
        _revise(actor=actor, record=festival, action="updated", before=before)
    return festival
