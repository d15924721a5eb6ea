"""Listening to the organisation tree (`vhttdl.core.units.signals`), connected in `apps.ready()`.

The signals arrive after the unit change has committed; the work is queued as a Celery task
(run inline when no broker is configured), so a big subtree never holds up the person who moved
it. What has to be recomputed is worked out by the task from the tree as it then is.
"""

from __future__ import annotations

from typing import Any

from vhttdl.reporting.analytics.tasks import follow_units


def on_organisation_moved(sender: Any, *, organisation_id: int, **kwargs: Any) -> None:
    follow_units.delay([organisation_id])


def on_organisation_closed(sender: Any, *, organisation_id: int, **kwargs: Any) -> None:
    follow_units.delay([organisation_id])
