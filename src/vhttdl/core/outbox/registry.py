"""The destinations installed apps declare (`Module.outbox_destinations`), by name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.modules import registry
from vhttdl.core.modules.types import OutboxDestination


def destinations() -> dict[str, OutboxDestination]:
    return registry.outbox_destinations()


def destination_named(name: str) -> OutboxDestination:
    found = destinations().get(name)
    if found is None:
        raise InvalidInput(_("Không có nơi nhận «%(name)s».") % {"name": name}, code="unknown_destination")
    return found
