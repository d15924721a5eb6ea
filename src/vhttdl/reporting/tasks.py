"""Scheduled jobs of the reporting core. Each task also runs inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.send_reminders", ignore_result=True)
def send_reminders(days_ahead: int = 3) -> int:
    """Once a day (beat schedule): remind units whose report is due within `days_ahead` days."""
    from vhttdl.reporting.services import reminders_send

    return reminders_send(days_ahead=days_ahead)
