"""Background sending of the outbox. Each task also runs inline when no broker is configured
(CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

from celery import shared_task

from vhttdl.core.outbox.services import outbox_drain, outbox_send


@shared_task(name="outbox.send_message", ignore_result=True)
def send_message(message_id: int) -> None:
    outbox_send(message_id=message_id)


@shared_task(name="outbox.drain_due", ignore_result=True)
def drain_due() -> dict[str, int]:
    """The beat schedule runs this every minute: send what is due, retries included."""
    return outbox_drain()
