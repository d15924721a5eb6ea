"""What a unit became: follow successor links to a date.

`as_of(unit, on)` answers "what is unit X, as of date D?" for areas and organisations alike.
`successor_map(model, on)` gives the same answer for every unit at once, for re-aggregating
old data (2024 figures of Hà Giang counted in today's Tuyên Quang) without a query per unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TypeVar

from django.utils import timezone

from vhttdl.core.units.models import Area, Organisation

Unit = TypeVar("Unit", Area, Organisation)

MAX_HOPS = 20  # guards against a successor cycle entered by mistake


def today() -> date:
    return timezone.localdate()


def as_of(unit: Unit, on: date | None = None) -> list[Unit]:
    """The unit(s) that `unit` is, or had become, on date `on` (default: today).

    A unit valid on `on` is itself. A closed unit is replaced by its successors, repeatedly,
    until units valid on `on` are reached. A unit split in two yields both; a unit closed
    without a successor yields nothing. Asked for a date before the unit existed, the unit
    itself is returned: history does not run backwards.
    """
    on = on or today()
    found: dict[int, Unit] = {}
    frontier = [unit]
    for _hop in range(MAX_HOPS):
        next_frontier: list[Unit] = []
        for candidate in frontier:
            if candidate.valid_to is None or candidate.valid_to >= on:
                found[candidate.pk] = candidate
            else:
                next_frontier.extend(candidate.successors.all())
        if not next_frontier:
            break
        frontier = next_frontier
    return sorted(found.values(), key=lambda u: u.pk)


def successor_map(model: type[Unit], on: date | None = None) -> dict[int, list[int]]:
    """{unit id: [ids of the units it is on `on`]} for every unit, from two queries."""
    on = on or today()
    validity = {pk: valid_to for pk, valid_to in model.objects.values_list("pk", "valid_to")}
    links: dict[int, list[int]] = defaultdict(list)
    through = model.successors.through
    source, target = f"from_{model._meta.model_name}_id", f"to_{model._meta.model_name}_id"
    for from_id, to_id in through.objects.values_list(source, target):
        links[from_id].append(to_id)

    resolved: dict[int, list[int]] = {}

    def resolve(pk: int, hops: int) -> list[int]:
        if pk in resolved:
            return resolved[pk]
        valid_to = validity[pk]
        if valid_to is None or valid_to >= on or hops >= MAX_HOPS:
            result = [pk]
        else:
            result = sorted({r for nxt in links.get(pk, []) for r in resolve(nxt, hops + 1)})
        resolved[pk] = result
        return result

    for pk in validity:
        resolve(pk, 0)
    return resolved
