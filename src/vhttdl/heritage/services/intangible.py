"""Intangible heritage: create, update (with its provinces), inscription decisions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput, check_version
from vhttdl.core.units.models import Area
from vhttdl.heritage import permissions
from vhttdl.heritage.models import Inscription, InscriptionList, IntangibleHeritage
from vhttdl.heritage.services.common import _lock, _revise, record_snapshot
from vhttdl.heritage.services.records import _create, _update
from vhttdl.heritage.services.validation import validate_intangible

INTANGIBLE_FIELDS = (
    "code",
    "name",
    "name_en",
    "category",
    "communities",
    "unesco_list",
    "unesco_year",
    "description",
    "description_en",
    "organisation",
)


def _check_provinces(provinces: list[Area]) -> None:
    for area in provinces:
        if area.level != Area.Level.PROVINCE or area.valid_to is not None:
            raise InvalidInput(
                _("%(name)s không phải là tỉnh, thành phố hiện hành.") % {"name": area.name},
                code="invalid_record",
                details={"fields": {"provinces": [area.name]}},
            )


def intangible_create(
    *, actor: Any, data: dict[str, Any], provinces: list[Area] | None = None, publish: bool = False
) -> IntangibleHeritage:
    provinces = list(provinces or [])
    _check_provinces(provinces)
    with transaction.atomic():
        data = dict(data)
        if "organisation" not in data or data["organisation"] is None:
            data["organisation"] = permissions.default_owner(
                actor, provinces[0] if len(provinces) == 1 else None
            )
        item = _create(
            actor=actor,
            model=IntangibleHeritage,
            data=data,
            allowed=INTANGIBLE_FIELDS,
            validate=validate_intangible,
            publish=publish,
        )
        item.provinces.set(provinces)
        _revise(actor=actor, record=item, action="created", before=None)
    return item


def intangible_update(
    *,
    actor: Any,
    item: IntangibleHeritage,
    data: dict[str, Any],
    version: int | None,
    provinces: list[Area] | None = None,
) -> IntangibleHeritage:
    if provinces is not None:
        _check_provinces(list(provinces))
    with transaction.atomic():
        item, before = _update(
            actor=actor,
            record=item,
            data=data,
            version=version,
            allowed=INTANGIBLE_FIELDS,
            validate=validate_intangible,
        )
        if provinces is not None:
            item.provinces.set(provinces)
        _revise(actor=actor, record=item, action="updated", before=before)
    return item


def inscription_add(
    *,
    actor: Any,
    item: IntangibleHeritage,
    listing: str,
    number: str = "",
    decided_on=None,
    issuer: str = "",
    note: str = "",
    version: int | None = None,
) -> Inscription:
    if listing not in InscriptionList.values:
        raise InvalidInput(_("Danh mục ghi danh không hợp lệ."), code="bad_listing")
    permissions.require_edit(actor, item)
    with transaction.atomic():
        item = _lock(item)
        check_version(item, version)
        before = record_snapshot(item)
        inscription = Inscription.objects.create(
            heritage=item,
            listing=listing,
            number=number.strip(),
            decided_on=decided_on,
            issuer=issuer.strip(),
            note=note.strip(),
        )
        item.version += 1
        item.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=item, action="inscription_added", before=before)
    return inscription
