"""Workflow steps ask for confirmation first; who acts next is on the page; numbers read as the reader writes them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import DataValue, Submission
from vhttdl.reporting.services import submission_approve, submission_submit
from vhttdl.reporting.services.entry import CellInput

pytestmark = pytest.mark.django_db
S = Submission.Status


@pytest.fixture
def form(tree):
    return make_form().form


@pytest.mark.parametrize("step", ["submit", "approve", "accept", "return"])
def test_each_step_has_a_confirmation_page_and_changes_nothing_until_confirmed(client, tree, form, step):
    report = filled_submission(form, tree.museum_a)
    actor = {
        "submit": person(Role.UNIT_STAFF, tree.museum_a),
        "approve": person(Role.DEPARTMENT_LEADER, tree.dept_a),
        "accept": person(Role.MINISTRY_OFFICER, tree.ministry),
        "return": person(Role.DEPARTMENT_LEADER, tree.dept_a),
    }[step]
    if step != "submit":
        submission_submit(actor=SYSTEM, submission=report, version=current_version(report))
    if step == "accept":
        submission_approve(actor=SYSTEM, submission=report, version=current_version(report))
    report.refresh_from_db()
    status, version = report.status, report.version
    client.force_login(actor)
    page = client.get(reverse(f"reporting:{step}", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="confirm-step"' in html and f'name="version" value="{version}"' in html
    assert "Hủy, quay lại báo cáo" in html and "Sau bước này" in html
    assert ('name="reason"' in html) is (step == "return")
    report.refresh_from_db()
    assert (report.status, report.version) == (status, version)  # a GET never takes the step
    data = {"version": version, "reason": "Thiếu số liệu tháng"}
    response = client.post(reverse(f"reporting:{step}", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == {"submit": S.SUBMITTED, "approve": S.APPROVED, "accept": S.ACCEPTED,
                             "return": S.RETURNED}[step]


def test_the_report_page_links_each_step_to_its_confirmation(client, tree, form):
    report = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    html = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert f'<form method="get" action="{reverse("reporting:submit", args=[report.pk])}">' in html
    assert 'id="next-step"' in html and "Chờ Bảo tàng An nhập và nộp" in html


def test_a_step_not_open_to_the_person_has_no_confirmation_page(client, tree, form):
    report = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    response = client.get(reverse("reporting:approve", args=[report.pk]))  # still a draft
    assert response.status_code == 302 and response.url == reverse("reporting:submission", args=[report.pk])


def test_rule_messages_show_numbers_in_the_reader_format(client, tree, form):
    cells = [CellInput("HELD", "default", "1000"), CellInput("DIGITISED", "default", "1147390"),
             CellInput("VISITS", "INTL", "5")]
    report = filled_submission(form, tree.museum_a, cells=cells)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    html = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert "(1.147.390 ≤ 1.000)" in html and "e+06" not in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert "1,147,390" in html and "e+06" not in html


def test_inputs_show_and_read_numbers_like_the_totals(client, tree, form):
    cells = [CellInput("VISITS", "INTL", "1147390"), CellInput("VISITS", "DOM", "3"),
             CellInput("REVENUE", "default", "12.5")]
    report = filled_submission(form, tree.museum_a, cells=cells)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    html = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert 'value="1.147.390"' in html and 'value="12,5"' in html
    assert ">1.147.393</td>" in html  # the row total, in the same format
    # What the grid shows is read back as the reader meant it ("1.500" is fifteen hundred on a Vietnamese page).
    body = {"version": report.version, "cells": [{"element": "REVENUE", "combo": "default", "value": "1.500"},
                                                 {"element": "VISITS", "combo": "INTL", "value": "1.147.390"}]}
    response = client.post(reverse("reporting:save", args=[report.pk]), json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    values = dict(DataValue.objects.filter(submission=report).values_list("data_element__code", "numeric_value"))
    assert values["REVENUE"] == 1500
    assert DataValue.objects.get(submission=report, category_option_combo__code="INTL").numeric_value == 1147390
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reporting:submission", args=[report.pk])).content.decode()
    assert 'value="1,500"' in html and 'value="1,147,390"' in html
