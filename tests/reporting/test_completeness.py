"""The completeness matrix names each cell's status in words for screen readers, never as a code."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.completeness import Cell
from vhttdl.reporting.models import Submission
from vhttdl.reporting.services import submission_submit

pytestmark = pytest.mark.django_db


def hidden_texts(html: str) -> list[str]:
    matrix = html.split('<table class="matrix">', 1)[1].split("</table>", 1)[0]
    return [t.strip() for t in re.findall(r'<span class="visually-hidden">(.*?)</span>', matrix)]


@pytest.fixture
def page_of(client, tree):
    form = make_form().form
    late = filled_submission(form, tree.museum_a, period_code="202501")
    submission_submit(actor=SYSTEM, submission=late, version=current_version(late))
    Submission.objects.filter(pk=late.pk).update(is_late=True)
    filled_submission(form, tree.dept_a, period_code="202501")  # a draft
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))

    def page(language: str) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("reporting:completeness"), {"form": "T.01", "from": "202501", "to": "202501"})
        assert response.status_code == 200
        return response.content.decode()

    return page


def test_hidden_status_text_is_the_translated_label(page_of):
    texts = hidden_texts(page_of("vi"))
    assert "Đã nộp (muộn)" in texts and "Đang nhập" in texts and "Chưa nộp" in texts
    assert not {"submitted", "draft", "missing"} & {t.split(" ")[0] for t in texts}
    assert 'title="Đã nộp (muộn)"' in page_of("vi")


def test_hidden_status_text_in_english(page_of):
    texts = hidden_texts(page_of("en"))
    assert "Submitted (late)" in texts and "Being entered" in texts and "Not submitted" in texts


def test_cell_label():
    assert Cell(expected=False).label == ""
    assert Cell(expected=True).label == "Chưa nộp"
    assert Cell(expected=True, status="accepted", is_late=True).label == "Bộ đã tiếp nhận (muộn)"


def test_exports_neutralise_a_unit_name_that_is_a_formula(client, tree):
    """D7: every CSV and Excel export writes formula-like text with a leading apostrophe."""
    import io

    from openpyxl import load_workbook

    from vhttdl.core.units.models import Organisation

    make_form()
    Organisation.objects.filter(pk=tree.museum_a.pk).update(name='=HYPERLINK("http://x","y")')
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    query = {"form": "T.01", "from": "202501", "to": "202501"}
    csv = client.get(reverse("reporting:completeness_export", args=["csv"]), query).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ',"=HYPERLINK' not in csv and ",=HYPERLINK" not in csv
    xlsx = client.get(reverse("reporting:completeness_export", args=["xlsx"]), query).content
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
