"""Officials see, on a report's page and in the list, whether it reached the Government's system."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.core.outbox.models import Message as OutboxMessage
from vhttdl.reporting.forwarding.selectors import NOT_APPLICABLE, NOT_QUEUED, forwarding_statuses
from vhttdl.reporting.models import Submission

pytestmark = pytest.mark.django_db

ACCEPTED = Submission.Status.ACCEPTED


@pytest.fixture
def form(tree):
    return make_form().form


def accepted(form, unit, period):
    submission = filled_submission(form, unit, period_code=period)
    Submission.objects.filter(pk=submission.pk).update(status=ACCEPTED)
    submission.refresh_from_db()
    return submission


def message(submission, status, *, attempts=1, error="", key=None, created_at=None, sent_at=None):
    return OutboxMessage.objects.create(
        destination="reporting.national",
        subject_type="reporting.submission",
        subject_id=submission.pk,
        idempotency_key=key or f"k-{submission.pk}-{status}",
        status=status,
        attempts=attempts,
        last_error=error,
        sent_at=sent_at,
        created_at=created_at or timezone.now(),
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )


def row_of(html: str, period: str) -> str:
    for row in re.findall(r"<tr>.*?</tr>", html, re.S):
        if f"<td>{period}</td>" in row:
            return row
    raise AssertionError(f"no row for {period}")


def test_list_shows_every_forwarding_state(client, tree, form):
    sent = accepted(form, tree.museum_a, "202401")
    message(sent, OutboxMessage.Status.SENT, attempts=2, sent_at=timezone.now())
    waiting = accepted(form, tree.museum_a, "202402")
    message(waiting, OutboxMessage.Status.PENDING, attempts=1, error="HTTP 503: unavailable")
    failed = accepted(form, tree.museum_a, "202403")
    message(failed, OutboxMessage.Status.FAILED, attempts=5, error="HTTP 401: unauthorised")
    accepted(form, tree.museum_a, "202404")  # accepted, never queued
    filled_submission(form, tree.museum_a, period_code="202405")  # a draft
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    html = client.get(reverse("reporting:submissions")).content.decode()
    assert "Gửi Chính phủ" in html
    assert 'class="badge ok"' in row_of(html, "202401") and "Đã gửi" in row_of(html, "202401")
    assert "Chờ gửi" in row_of(html, "202402") and "đã thử 1 lần" in row_of(html, "202402")
    failed_row = row_of(html, "202403")
    assert "Gửi không thành công" in failed_row and "sau 5 lần thử" in failed_row
    assert "HTTP 401: unauthorised" in failed_row
    assert "Chưa vào hàng gửi" in row_of(html, "202404")
    assert '<span class="visually-hidden">Không áp dụng</span>' in row_of(html, "202405")


def test_list_costs_one_query_for_forwarding_however_long(client, tree, form):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reporting:submissions")).status_code == 200
        return len(captured)

    first = accepted(form, tree.museum_a, "202401")
    message(first, OutboxMessage.Status.SENT, sent_at=timezone.now())
    few = queries()
    for period in ("202402", "202403", "202404", "202405", "202406"):
        submission = accepted(form, tree.museum_b, period)
        message(submission, OutboxMessage.Status.FAILED, attempts=3, error="HTTP 500")
    assert queries() == few


def test_submission_page_shows_failure_retries_error_and_a_link(client, tree, form):
    submission = accepted(form, tree.museum_a, "202401")
    message(
        submission,
        OutboxMessage.Status.SENT,
        key="cu",
        created_at=timezone.now() - timedelta(days=2),
        sent_at=timezone.now() - timedelta(days=2),
    )
    message(submission, OutboxMessage.Status.FAILED, attempts=5, error="HTTP 401: unauthorised", key="moi")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    line = re.search(r'<p class="forwarding-line" id="forwarding-status">(.*?)</p>', html, re.S).group(1)
    assert "Gửi không thành công" in line  # the newest message, not the older sent one
    assert "không thành công sau 5 lần thử" in line and "HTTP 401: unauthorised" in line
    assert f'href="{reverse("reporting:forwarding:outbox")}?status=failed"' in line


def test_submission_page_when_sent_and_when_not_applicable(client, tree, form):
    sent = accepted(form, tree.museum_a, "202401")
    message(sent, OutboxMessage.Status.SENT, attempts=1, sent_at=timezone.now())
    draft = filled_submission(form, tree.museum_a, period_code="202402")
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    html = client.get(reverse("reporting:submission", args=[sent.pk])).content.decode()
    assert "Đã gửi" in html and "gửi thành công lúc" in html and "Lỗi gần nhất" not in html
    html = client.get(reverse("reporting:submission", args=[draft.pk])).content.decode()
    line = re.search(r'<p class="forwarding-line" id="forwarding-status">(.*?)</p>', html, re.S).group(1)
    assert "Không áp dụng" in line and "chỉ báo cáo đã được Bộ tiếp nhận" in line
    assert "status=" not in line  # nothing queued: no link


def test_forwarding_statuses_covers_every_submission_in_one_query(tree, form, django_assert_num_queries):
    sent = accepted(form, tree.museum_a, "202401")
    message(sent, OutboxMessage.Status.SENT, sent_at=timezone.now())
    not_queued = accepted(form, tree.museum_a, "202402")
    draft = filled_submission(form, tree.museum_a, period_code="202403")
    with django_assert_num_queries(1):
        statuses = forwarding_statuses([sent, not_queued, draft])
    assert statuses[sent.pk].status == "sent" and statuses[sent.pk].is_queued and statuses[sent.pk].queued_at
    assert statuses[not_queued.pk].status == NOT_QUEUED and not statuses[not_queued.pk].is_queued
    assert statuses[draft.pk].status == NOT_APPLICABLE and statuses[draft.pk].badge == ""
    with django_assert_num_queries(0):
        assert forwarding_statuses([]) == {}


def test_forwarding_line_in_english(client, tree, form, settings):
    submission = accepted(form, tree.museum_a, "202401")
    message(submission, OutboxMessage.Status.FAILED, attempts=3, error="HTTP 500")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    assert "failed after 3 tries; no more automatic retries." in html and "Last error:" in html
    assert "To the Government" in client.get(reverse("reporting:submissions")).content.decode()
