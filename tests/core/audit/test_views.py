"""The change log for people: actions in words, fields by name, before → after, pickers, pages, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.modules import registry
from vhttdl.core.units.services import organisation_update
from vhttdl.reporting.services import submission_approve, submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(tree):
    admin = person(Role.SYSTEM_ADMIN, tree.ministry, username="admin1", full_name="Quản Trị Một")
    organisation_update(actor=admin, organisation=tree.museum_a, name="Bảo tàng tỉnh An",
                        version=current_version(tree.museum_a))
    report = filled_submission(make_form().form, tree.museum_b)
    submission_submit(actor=SYSTEM, submission=report, version=current_version(report))
    submission_approve(actor=SYSTEM, submission=report, version=current_version(report))
    return admin


def page(client, **query):
    response = client.get(reverse("audit:list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_actions_fields_and_values_in_words(client, log):
    client.force_login(log)
    html = page(client)
    rows = html.split('id="entries"', 1)[1]
    assert "Duyệt báo cáo" in rows and "reporting.submission_approve" not in rows
    assert "Sửa thông tin đơn vị" in rows and "organisation.update" not in rows
    # A before → after table with the field's name and the status in words, not a Python dict.
    cell = '<td translate="no">'
    assert f'<th scope="row">Trạng thái</th>{cell}Đã nộp</td>{cell}Cấp trên đã duyệt</td>' in html
    assert f'<th scope="row">Tên</th>{cell}Bảo tàng An</td>{cell}Bảo tàng tỉnh An</td>' in html
    assert "{&#x27;" not in html and "{'" not in html
    client.cookies["django_language"] = "en"
    html = page(client)
    assert "Approve a report" in html and "Update a unit" in html and "<th scope=\"row\">Status</th>" in html


def test_pickers_filter_by_person_unit_action_and_dates(client, tree, log):
    client.force_login(log)
    html = page(client)
    assert '<select id="f-person" name="person">' in html and "Quản Trị Một (admin1)" in html
    assert '<select id="f-unit" name="unit">' in html and '<select id="f-action" name="action">' in html
    assert 'type="date" name="since"' in html
    by_person = client.get(reverse("audit:list"), {"person": log.pk}).context["page_obj"]
    assert [v.entry.action for v in by_person] == ["organisation.update"]
    by_unit = client.get(reverse("audit:list"), {"unit": "SO-B"}).context["page_obj"]
    assert {v.entry.action for v in by_unit} >= {"reporting.submission_approve", "reporting.values_save"}
    assert "organisation.update" not in {v.entry.action for v in by_unit}
    by_action = client.get(reverse("audit:list"), {"action": "reporting.submission_submit"}).context["page_obj"]
    assert [v.action_label for v in by_action] == ["Nộp báo cáo"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert not client.get(reverse("audit:list"), {"since": tomorrow}).context["page_obj"].object_list
    assert client.get(reverse("audit:list"), {"until": tomorrow, "since": "bad"}).context["page_obj"].object_list


def test_pages_of_25(client, tree, log):
    for i in range(30):
        organisation_update(actor=SYSTEM, organisation=tree.museum_a, name=f"Tên {i}",
                            version=current_version(tree.museum_a))
    client.force_login(log)
    response = client.get(reverse("audit:list"))
    assert len(response.context["page_obj"].object_list) == 25 and response.context["page_obj"].has_next()


def test_exports_are_readable_and_safe(client, tree, log):
    organisation_update(actor=SYSTEM, organisation=tree.museum_a, name="=cmd|' /C calc'!A0",
                        version=current_version(tree.museum_a))
    client.force_login(log)
    response = client.get(reverse("audit:export", args=["csv"]), {"unit": "SO-A-BT"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == "Thao tác" and rows[1][3] == "Sửa thông tin đơn vị"
    assert rows[1][5].startswith("'=") and "Tên: Bảo tàng tỉnh An → '=cmd" not in rows[1][7]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(reverse("audit:export", args=["xlsx"])).content))
    values = [row for row in book.active.iter_rows(values_only=True)]
    assert values[0][0] == "Số thứ tự" and any(r[3] == "Duyệt báo cáo" for r in values[1:])
    assert client.get(reverse("audit:export", args=["pdf"])).status_code == 404


def test_every_action_code_written_by_the_platform_has_a_label(client, log):
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert codes and codes <= set(registry.audit_actions())


def test_exports_need_audit_view(client, tree):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    assert client.get(reverse("audit:export", args=["csv"])).status_code == 403
