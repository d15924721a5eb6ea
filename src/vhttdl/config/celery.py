"""The Celery app. Without CELERY_BROKER_URL, settings make every task run inline (eager)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vhttdl.config.settings")

app = Celery("vhttdl")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
