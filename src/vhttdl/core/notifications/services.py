"""Notify people. Sending waits for the surrounding transaction to commit, then goes to a worker."""

from __future__ import annotations

from django.db import transaction

from vhttdl.core.notifications.tasks import send_email_task


def notify_by_email(*, to: list[str], subject: str, body: str) -> None:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    transaction.on_commit(lambda: send_email_task.delay(to=recipients, subject=subject, body=body))
