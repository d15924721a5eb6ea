"""D9: every write names the version it read. 50 increments through the API with stale versions:
exactly the non-stale ones land, the others get 409; a write without a version is a 400."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.core.factories import person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import DataValue

API = "/api/v1/reporting/submissions"


def _read(client, sid) -> tuple[int, int]:
    body = client.get(f"{API}/{sid}").json()
    held = next(int(v["value"]) for v in body["values"] if v["element"] == "HELD")
    return body["version"], held


def _increment(client, sid, version, held):
    return client.put(f"{API}/{sid}/values", {"version": version, "cells": [{"element": "HELD", "value": held + 1}]},
                      content_type="application/json")


@pytest.mark.django_db
def test_fifty_interleaved_increments_lose_nothing(client, tree):
    submission = filled_submission(make_form().form, tree.museum_a)
    start = int(DataValue.objects.get(submission=submission, data_element__code="HELD").value)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    # 50 clients; those in one batch read the report before any of them writes (batches of 1, 2, 3, ...).
    batches, clients = [], 0
    while clients < 50:
        size = min(len(batches) + 1, 50 - clients)
        batches.append(size)
        clients += size
    landed = conflicts = 0
    for size in batches:
        reads = [_read(client, submission.pk) for _ in range(size)]
        for version, held in reads:
            response = _increment(client, submission.pk, version, held)
            if response.status_code == 200:
                landed += 1
            else:
                assert response.status_code == 409 and response.json()["code"] == "stale_version"
                conflicts += 1
    assert (landed, conflicts) == (len(batches), 50 - len(batches))
    assert _read(client, submission.pk)[1] == start + landed  # every landed increment is there


@pytest.mark.django_db
def test_a_write_without_a_version_is_refused(client, tree):
    submission = filled_submission(make_form().form, tree.museum_a)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    before = DataValue.objects.get(submission=submission, data_element__code="HELD").value
    response = client.put(f"{API}/{submission.pk}/values", {"cells": [{"element": "HELD", "value": 1}]},
                          content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()["message"]
    for step in ("submit", "approve", "accept", "return"):
        response = client.post(f"{API}/{submission.pk}/{step}", {"reason": "x"}, content_type="application/json")
        assert response.status_code == 400, (step, response.content)
    # The grid's own save (JSON and plain form post) too.
    grid = client.post(f"/reporting/submissions/{submission.pk}/save/", '{"cells": []}',
                       content_type="application/json")
    assert grid.status_code == 400 and grid.json()["code"] == "version_required"
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
def test_fifty_concurrent_increments_from_one_read(tree):
    submission = filled_submission(make_form().form, tree.museum_a)
    staff = person(Role.UNIT_STAFF, tree.museum_a)
    reader = Client()
    reader.force_login(staff)
    version, held = _read(reader, submission.pk)
    barrier = threading.Barrier(50)
    statuses: list[int] = []

    def worker():
        client = Client()
        client.force_login(staff)
        barrier.wait()
        statuses.append(_increment(client, submission.pk, version, held).status_code)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * 49
    assert _read(reader, submission.pk)[1] == held + 1
