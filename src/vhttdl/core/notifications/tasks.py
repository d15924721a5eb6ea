"""E-mail out of the request: a Celery task that also runs inline when no broker is configured."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(self, *, to: list[str], subject: str, body: str) -> int:
    """Send one message to each address; returns how many were sent."""
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
