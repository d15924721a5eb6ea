"""Announcements of changes to the organisation tree, for apps that keep data derived from it.

core must not import the apps built on it (reporting keeps aggregates summed over the tree), so
the unit services announce what changed and those apps listen. The services send these signals
**after their transaction commits** (`transaction.on_commit`), with `send_robust`:

* a receiver only ever sees the change as committed (a rolled-back move announces nothing, and a
  background job it queues reads the new paths, never the old ones);
* derived data cannot undo, block or fail the unit change: a receiver that raises is logged and
  the change stands (the recovery for a lost update is that app's rebuild command).

A receiver that needs to do something inside the same transaction has no business here: that
belongs in the service itself.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A unit and its whole subtree now hang under another parent.
# Arguments: organisation_id (int), old_path (str), new_path (str).
organisation_moved = Signal()

# A unit was closed on a date, naming what it became (possibly nothing).
# Arguments: organisation_id (int), valid_to (date), successor_ids (list[int]).
organisation_closed = Signal()


def _send(signal: Signal, name: str, **kwargs: object) -> None:
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error("%s receiver %r failed for %s", name, receiver, kwargs,
                         exc_info=(type(result), result, result.__traceback__))


def announce_moved(*, organisation_id: int, old_path: str, new_path: str) -> None:
    transaction.on_commit(lambda: _send(organisation_moved, "organisation_moved", organisation_id=organisation_id,
                                        old_path=old_path, new_path=new_path))


def announce_closed(*, organisation_id: int, valid_to: date, successor_ids: list[int]) -> None:
    transaction.on_commit(lambda: _send(organisation_closed, "organisation_closed", organisation_id=organisation_id,
                                        valid_to=valid_to, successor_ids=list(successor_ids)))
