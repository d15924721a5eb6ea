"""The reporting sub-menu: styled on every page that shows it, the right tab marked on a report."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.periods import period_containing
from vhttdl.reporting.services import submission_submit

pytestmark = pytest.mark.django_db


def current_tab(html: str) -> str:
    nav = html.split('class="report-nav"', 1)[1].split("</nav>", 1)[0]
    return re.search(r'<a href="([^"]+)" aria-current="page"', nav).group(1)


@pytest.mark.parametrize("url", ["reporting:analytics:pivot", "reporting:forwarding:outbox", "reporting:index"])
def test_every_page_with_the_menu_links_its_style(client, tree, url):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    html = client.get(reverse(url)).content.decode()
    assert '/static/reporting/nav.css"' in html
    assert current_tab(html) == reverse(url)


def test_a_report_marks_the_tab_it_belongs_to(client, tree):
    form = make_form().form
    report = filled_submission(form, tree.museum_a, period_code=period_containing("monthly", timezone.localdate()))
    url = reverse("reporting:submission", args=[report.pk])
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert current_tab(client.get(url).content.decode()) == reverse("reporting:my_reports")
    assert f'href="{url}?from=mine"' in client.get(reverse("reporting:my_reports")).content.decode()
    assert current_tab(client.get(url, {"from": "list"}).content.decode()) == reverse("reporting:submissions")
    submission_submit(actor=SYSTEM, submission=report, version=current_version(report))
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    assert current_tab(client.get(url).content.decode()) == reverse("reporting:inbox")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    assert current_tab(client.get(url).content.decode()) == reverse("reporting:submissions")
