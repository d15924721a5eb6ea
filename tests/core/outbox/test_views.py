"""The outbox page: filters, payload, and scoping decided by the destination's owner app.

Uses reporting's destination (the Government Reporting Information System), whose rule is: see
the messages of the reports you may view, retry with the accept right on the report's unit.
"""

from __future__ import annotations

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import build_metadata, report
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.outbox.models import Message
from vhttdl.reporting.forwarding.models import StandInReceipt
from vhttdl.reporting.forwarding.services import outbox_enqueue_submission
from vhttdl.reporting.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reporting.analytics.urls")]

LIST = "/outbox/"


@pytest.fixture
def failed(tree, settings, django_capture_on_commit_callbacks):
    """A dead letter for museum A's report (Province A): the receiver refused it until it gave up."""
    settings.NATIONAL_REPORTING_URL = ""
    settings.NATIONAL_REPORTING_TOKEN = ""
    settings.NATIONAL_REPORTING_MAPPING = {}
    settings.NATIONAL_REPORTING_MAX_ATTEMPTS = 1
    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    meta = build_metadata()
    sub = report(meta, tree.museum_a, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue_submission(submission_id=sub.pk)
    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    return message


def test_the_ministry_sees_filters_and_reads_the_payload(client, tree, failed):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    html = client.get(LIST, {"destination": "reporting.national", "status": "failed"}).content.decode()
    assert "Hệ thống thông tin báo cáo Chính phủ" in html and "Bảo tàng An" in html and "HTTP 503" in html
    assert "Bảo tàng An" not in client.get(LIST, {"status": "sent"}).content.decode()
    detail = client.get(f"{LIST}{failed.pk}/").content.decode()
    assert failed.idempotency_key in detail and "&quot;dataValues&quot;" in detail and "Gửi lại ngay" in detail


def test_another_provinces_officer_sees_nothing_and_cannot_retry(client, tree, failed):
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_b))
    assert "Bảo tàng An" not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{failed.pk}/").status_code == 404
    assert client.post(f"{LIST}{failed.pk}/retry/").status_code == 404
    assert client.post(f"/reporting/forwarding/{failed.pk}/retry/").status_code == 404
    failed.refresh_from_db()
    assert failed.status == Message.Status.FAILED and failed.attempts == 1
    assert not StandInReceipt.objects.exists()


def test_the_provinces_own_leader_sees_it_but_may_not_retry(client, tree, failed):
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    detail = client.get(f"{LIST}{failed.pk}/").content.decode()
    assert failed.idempotency_key in detail and "Gửi lại ngay" not in detail
    assert client.post(f"{LIST}{failed.pk}/retry/").status_code == 403
    assert not StandInReceipt.objects.exists()


def test_people_without_a_destination_get_403(client, tree, failed):
    client.force_login(person(Role.APPLICANT, tree.ministry))
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{failed.pk}/").status_code == 403


def test_a_double_click_on_retry_sends_once(client, tree, failed):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    first = client.post(f"{LIST}{failed.pk}/retry/", follow=True).content.decode()
    second = client.post(f"{LIST}{failed.pk}/retry/", follow=True).content.decode()
    assert "Đã gửi lại thành công." in first
    assert "đã được gửi thành công; không gửi lại" in second
    failed.refresh_from_db()
    assert failed.status == Message.Status.SENT and failed.attempts == 2
    assert StandInReceipt.objects.get().times_received == 1
    assert AuditEntry.objects.filter(action="outbox.retry").count() == 1


def test_retry_redirects_back_only_to_this_site(client, tree, failed):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    response = client.post(f"{LIST}{failed.pk}/retry/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}{failed.pk}/"


def test_the_list_costs_the_same_queries_however_long(client, tree, failed, django_assert_max_num_queries):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_the_pages_in_english(client, tree, failed, settings):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(LIST).content.decode()
    assert "Outbox" in html and "Government Reporting Information System" in html and "Sending failed" in html
    detail = client.get(f"{LIST}{failed.pk}/").content.decode()
    assert "Idempotency key" in detail and "Send again now" in detail and "Local stand-in receiver" in detail
