"""Background sending of the outbox. Each task also runs inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.forward_message", ignore_result=True)
def forward_message(message_id: int) -> None:
    from vhttdl.reporting.forwarding.services import outbox_send

    outbox_send(message_id=message_id)


@shared_task(name="reporting.forward_due", ignore_result=True)
def forward_due() -> dict:
    """The beat schedule runs this every minute: send what is due, retries included."""
    from vhttdl.reporting.forwarding.services import outbox_drain

    return outbox_drain()
