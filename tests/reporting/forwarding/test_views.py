"""The forwarding status page, its retry button (core's outbox retry, back to this page) and the stand-in
receiver's HTTP contract."""

from __future__ import annotations

import json

import pytest

from tests.core.factories import person
from tests.reporting.analytics.builders import report
from vhttdl.core.accounts.roles import Role
from vhttdl.core.outbox.models import Message as OutboxMessage
from vhttdl.reporting.forwarding.models import StandInReceipt
from vhttdl.reporting.forwarding.services import outbox_enqueue_submission
from vhttdl.reporting.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reporting.analytics.urls")]

URL = "/reporting/forwarding/"
STAND_IN = "/reporting/forwarding/stand-in/national-reporting/"


@pytest.fixture
def messages(tree, meta, settings, django_capture_on_commit_callbacks):
    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    for unit in (tree.museum_a, tree.museum_b):
        sub = report(meta, unit, "202401", {("EVENTS", "default"): "3"}, status=Submission.Status.ACCEPTED)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_enqueue_submission(submission_id=sub.pk)
    settings.NATIONAL_REPORTING_STANDIN_FAIL = False
    return tree


def message_of(unit):
    return OutboxMessage.objects.get(subject_id__in=Submission.objects.filter(organisation=unit).values("pk"))


def test_ministry_sees_every_message(client, messages, django_assert_max_num_queries):
    client.force_login(person(Role.MINISTRY_OFFICER, messages.ministry))
    with django_assert_max_num_queries(12):
        html = client.get(URL).content.decode()
    assert "Bảo tàng An" in html and "Bảo tàng Bình" in html
    assert "Gửi lại ngay" in html


def test_a_department_sees_its_own(client, messages):
    client.force_login(person(Role.DEPARTMENT_OFFICER, messages.dept_b))
    html = client.get(URL).content.decode()
    assert "Bảo tàng Bình" in html and "Bảo tàng An" not in html
    assert "Gửi lại ngay" not in html


def test_retry_now(client, messages):
    client.force_login(person(Role.MINISTRY_OFFICER, messages.ministry))
    message = message_of(messages.museum_a)
    response = client.post(f"/outbox/{message.pk}/retry/", {"next": URL})
    assert response.status_code == 302 and response["Location"] == URL  # back to the forwarding page
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_retry_needs_accept_rights(client, messages):
    client.force_login(person(Role.DEPARTMENT_LEADER, messages.dept_a))
    message = message_of(messages.museum_a)
    assert client.post(f"/outbox/{message.pk}/retry/").status_code == 403


def test_applicants_cannot_see_the_page(client, messages):
    client.force_login(person(Role.APPLICANT, messages.ministry))
    assert client.get(URL).status_code == 403


def test_stand_in_http_contract(client, settings, db):
    body = json.dumps({"dataValues": [{"indicator": "X", "value": "1"}]})
    auth = {"HTTP_AUTHORIZATION": "Bearer bi-mat"}
    assert client.post(STAND_IN, body, content_type="application/json", **auth).status_code == 400  # no key
    first = client.post(STAND_IN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    again = client.post(STAND_IN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **auth)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "duplicate"
    assert StandInReceipt.objects.get().times_received == 2
    assert client.post(STAND_IN, "nope", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2",
                       **auth).status_code == 400
    assert client.post(STAND_IN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 401
    settings.NATIONAL_REPORTING_STANDIN_FAIL = True
    assert client.post(STAND_IN, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-4",
                       **auth).status_code == 503


def test_retry_of_an_unknown_message_is_a_404(client, messages):
    client.force_login(person(Role.MINISTRY_OFFICER, messages.ministry))
    assert client.post("/outbox/999999/retry/").status_code == 404
