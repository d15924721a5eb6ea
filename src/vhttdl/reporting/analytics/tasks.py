"""Background jobs of the analytics. Each also runs inline (eager) when no broker is configured."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.analytics_follow_units", ignore_result=True)
def follow_units(organisation_ids: list[int]) -> dict[str, int]:
    """Bring the aggregates in line with the tree after these units were moved or closed."""
    from vhttdl.reporting.analytics.services import aggregates_follow_units

    return aggregates_follow_units(organisation_ids=organisation_ids)
