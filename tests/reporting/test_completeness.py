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


def test_groups_and_rows_in_vietnamese_order(tree):
    from tests.core.factories import AreaFactory, make_org
    from vhttdl.reporting.completeness import completeness
    from vhttdl.reporting.periods import period_for_code

    form = make_form().form
    for code, place in (("83", "Đà Nẵng"), ("84", "Cà Mau"), ("85", "Cao Bằng")):
        area = AreaFactory(code=code, name=f"Tỉnh {place}", short_name=place)
        dept = make_org(f"SO-{code}", parent=tree.ministry, area=area, name=f"Sở {place}")
        make_org(f"SO-{code}-BT", parent=dept, kind="museum", area=area, name=f"Bảo tàng {place}")
    report = completeness(actor=SYSTEM, form=form, periods=[period_for_code("202501")])
    provinces = ["An", "Bình", "Cà Mau", "Cao Bằng", "Đà Nẵng"]
    assert [r.label for r in report.by_province] == provinces
    assert [r.label for r in report.by_department] == [f"Sở {p}" for p in provinces]
    # Each department is followed by its own units.
    assert [r.organisation.code for r in report.rows][:4] == ["SO-A", "SO-A-BT", "SO-B", "SO-B-BT"]
    rest = ["SO-84", "SO-84-BT", "SO-85", "SO-85-BT", "SO-83", "SO-83-BT"]
    assert [r.organisation.code for r in report.rows][4:] == rest


def test_period_range_defaults_limits_and_errors():
    from datetime import date

    from vhttdl.reporting.completeness import period_codes
    from vhttdl.reporting.models import ReportForm

    monthly = ReportForm(code="X", period_type="monthly")
    on = date(2025, 3, 10)
    codes, error = period_codes(monthly, on=on)
    assert (codes[0], codes[-1], len(codes), error) == ("202404", "202503", 12, "")
    assert period_codes(monthly, first="202501", last="202502", on=on) == (["202501", "202502"], "")
    assert len(period_codes(monthly, first="200001", last="202502", on=on)[0]) == 60
    codes, error = period_codes(monthly, last="2025Q1", on=on)
    assert codes == ["202503"] and "2025Q1" in error
