"""Background work: inline without a broker; end to end through a real Celery worker and Redis when one is reachable."""

from __future__ import annotations

import os
import socket

import pytest
from django.core import mail

from vhttdl.config.celery import app
from vhttdl.core.notifications.services import notify_by_email
from vhttdl.core.notifications.tasks import send_email_task

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    host, port = REDIS_URL.split("//")[1].split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def _forget_connections() -> None:
    """Celery caches the result backend and the producer pool; drop them so the new URLs take effect.

    kombu's process-wide pools are reset too: a closed pool left behind breaks every later task of
    the process (even an eager one acquires a producer).
    """
    import kombu.pools

    app._local.__dict__.pop("backend", None)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.mark.django_db
def test_notification_is_sent_inline_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_by_email(to=["a@example.vn", "a@example.vn", ""], subject="Báo cáo đã nộp", body="Nội dung")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.vn"]


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_by_email(to=["a@example.vn"], subject="x", body="y")
    assert len(callbacks) == 1 and mail.outbox == []


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_through_a_real_worker_and_redis(settings):
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must start it (.ci/run does)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from celery.contrib.testing.worker import start_worker

    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False,
                    broker_connection_retry_on_startup=True)
    _forget_connections()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = send_email_task.delay(to=["so@example.vn"], subject="Nhắc hạn báo cáo", body="Còn 3 ngày")
            assert result.get(timeout=30) == 1
        assert [m.subject for m in mail.outbox] == ["Nhắc hạn báo cáo"]
    finally:
        app.conf.update(task_always_eager=True, broker_url="", result_backend=None)
        _forget_connections()
