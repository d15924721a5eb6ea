"""The layout builder's server side: what the page gives the script, and what a post of its JSON does."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.core.factories import person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.reporting.forms import LayoutForm, layout_as_text
from vhttdl.reporting.models import FormVersion
from vhttdl.reporting.services import metadata

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(tree):
    return make_form()


@pytest.fixture
def official(client, tree):
    user = person(Role.MINISTRY_OFFICER, tree.ministry)
    client.force_login(user)
    return user


def url(made) -> str:
    return reverse("reporting:design_form", args=[made.form.pk])


def script_data(html: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no {element_id} on the page"
    return json.loads(found.group(1))


def post_layout(client, made, layout):
    raw = layout if isinstance(layout, str) else json.dumps(layout)
    return client.post(url(made), {"layout": raw})


NEW_LAYOUT = {
    "sections": [
        {
            "title": "I. Khách",
            "title_en": "I. Visitors",
            "rows": [{"element": "VISITS", "label": "Lượt khách đến", "label_en": "Arrivals"}],
        },
        {"title": "II. Hiện vật", "title_en": "", "rows": [{"element": "HELD"}, {"element": "DIGITISED"}]},
    ]
}


def test_page_gives_the_builder_the_layout_the_elements_and_their_columns(client, made, official):
    origin = metadata.category_save(
        actor=SYSTEM, code="NK", name="Nguồn khách", options=[("QT", "Quốc tế", ""), ("ND", "Nội địa", "")]
    )
    stay = metadata.category_save(
        actor=SYSTEM, code="LT", name="Lưu trú", options=[("CO", "Có lưu trú", ""), ("TN", "Trong ngày", "")]
    )
    combo = metadata.combo_save(actor=SYSTEM, code="NK_LT", name="Nguồn × lưu trú", categories=[origin, stay])
    metadata.data_element_save(actor=SYSTEM, code="KHACH", name="Lượt khách lưu trú", category_combo=combo)
    response = client.get(url(made))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-initial-tab="builder"' in html and "reporting/layout_builder.js" in html
    assert script_data(html, "builder-data") == made.version.layout
    elements = {e["code"]: e for e in script_data(html, "builder-elements")}
    assert set(elements) == {"VISITS", "HELD", "DIGITISED", "REVENUE", "RATE", "KHACH"}
    assert elements["VISITS"]["columns"] == ["Quốc tế", "Nội địa"] and elements["VISITS"]["matrix"] is None
    assert elements["HELD"]["columns"] == ["Tổng số"] and elements["HELD"]["value_type"] == "Số nguyên không âm"
    assert elements["KHACH"]["matrix"] == {"rows": ["Quốc tế", "Nội địa"], "cols": ["Có lưu trú", "Trong ngày"]}
    texts = script_data(html, "builder-texts")
    assert texts["add_section"] == "Thêm mục" and "%(name)s" in texts["row_up_label"]


def test_catalogue_costs_the_same_few_queries_however_many_elements(
    client, made, official, django_assert_max_num_queries
):
    for index in range(30):
        metadata.data_element_save(actor=SYSTEM, code=f"E{index}", name=f"Chỉ tiêu {index}")
    with django_assert_max_num_queries(30):
        response = client.get(url(made))
    assert len(script_data(response.content.decode(), "builder-elements")) == 35


def test_builder_post_saves_through_the_service_keeping_every_key(client, made, official):
    response = post_layout(client, made, NEW_LAYOUT)
    assert response.status_code == 302
    made.version.refresh_from_db()
    assert made.version.layout["sections"][0] == NEW_LAYOUT["sections"][0]
    assert made.version.layout["sections"][1]["rows"][1] == {"element": "DIGITISED", "label": "", "label_en": ""}
    assert set(made.version.data_elements.values_list("code", flat=True)) == {"VISITS", "HELD", "DIGITISED"}
    assert AuditEntry.objects.filter(action="reporting.form_layout_save", actor=official).exists()
    page = client.get(url(made)).content.decode()
    assert "Đã lưu bố cục (phiên bản 1)" in page
    assert script_data(page, "builder-data")["sections"][0]["title_en"] == "I. Visitors"


def test_builder_post_on_a_version_in_use_starts_a_draft(client, made, official, tree):
    filled_submission(made.form, tree.museum_a)
    response = post_layout(client, made, NEW_LAYOUT)
    assert response.status_code == 302
    draft = made.form.versions.get(status=FormVersion.Status.DRAFT)
    assert draft.number == 2 and draft.layout["sections"][0]["title_en"] == "I. Visitors"
    made.version.refresh_from_db()
    assert made.version.layout["sections"][0]["title_en"] == ""
    assert "phiên bản nháp 2" in client.get(url(made)).content.decode()


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        (
            {"sections": [{"title": "Mục mới đang soạn", "rows": [{"element": "HELD"}]}, {"title": " ", "rows": []}]},
            "Mục thứ 2 chưa có tên.",
        ),
        ({"sections": [{"title": "Mục mới đang soạn", "rows": [{"element": "KHONG_CO"}]}]}, "KHONG_CO"),
        (
            {"sections": [{"title": "Mục mới đang soạn", "rows": [{"element": "HELD"}, {"element": "HELD"}]}]},
            "xuất hiện hai lần",
        ),
        ({"sections": [{"title": "Mục mới đang soạn", "rows": []}]}, "ít nhất một chỉ tiêu"),
    ],
)
def test_builder_errors_are_shown_in_the_builder_and_nothing_is_lost(client, made, official, layout, message):
    before = made.version.layout
    response = post_layout(client, made, layout)
    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(r'<div class="alert err lb-error" id="builder-error" role="alert">(.*?)</div>', html, re.S)
    assert error and message in error.group(1)
    assert script_data(html, "builder-data") == layout  # what was posted comes back to the builder
    assert 'data-initial-tab="builder"' in html
    made.version.refresh_from_db()
    assert made.version.layout == before and made.form.versions.count() == 1


@pytest.mark.parametrize(
    ("raw", "message"), [("{not json", "không đọc được"), ("[1, 2]", "danh sách mục"), ('{"x": 1}', "danh sách mục")]
)
def test_builder_post_that_is_not_a_layout_is_a_clear_400(client, made, official, raw, message):
    response = post_layout(client, made, raw)
    assert response.status_code == 400 and message in response.content.decode()
    assert made.form.versions.count() == 1


def test_text_editor_errors_open_the_text_tab(client, made, official):
    response = client.post(url(made), {"text": "VISITS\n# Mục"})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-initial-tab="text"' in html and "cần một mục" in html
    assert script_data(html, "builder-data") == made.version.layout


def test_builder_needs_design_permission(client, made, tree):
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    assert post_layout(client, made, NEW_LAYOUT).status_code == 403
    made.version.refresh_from_db()
    assert made.version.layout["sections"][0]["title"] == "I. Khách"


def test_text_form_keeps_english_row_labels():
    text = layout_as_text(NEW_LAYOUT)
    assert "VISITS | Lượt khách đến | Arrivals" in text.splitlines()
    assert "HELD" in text.splitlines()
    form = LayoutForm({"text": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"]["sections"][0]["rows"][0] == {
        "element": "VISITS",
        "label": "Lượt khách đến",
        "label_en": "Arrivals",
    }
    only_english = layout_as_text({"sections": [{"title": "A", "rows": [{"element": "X", "label_en": "Eng"}]}]})
    assert "X |  | Eng" in only_english


def test_builder_speaks_english_on_english_pages(client, made, official, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(made)).content.decode()
    texts = script_data(html, "builder-texts")
    assert texts["add_section"] == "Add section" and texts["row_up_label"] == "Move up: %(name)s"
    assert "Advanced: edit as text" in html
    elements = {e["code"]: e for e in script_data(html, "builder-elements")}
    assert elements["VISITS"]["columns"] == ["International", "Domestic"]


def test_a_new_form_gets_its_first_version_from_the_builder(client, made, official):
    report_form = metadata.form_save(actor=SYSTEM, code="MOI.01", title="Biểu mới", period_type="yearly")
    page = client.get(reverse("reporting:design_form", args=[report_form.pk])).content.decode()
    assert script_data(page, "builder-data") == {"sections": []}
    response = client.post(
        reverse("reporting:design_form", args=[report_form.pk]),
        {"layout": json.dumps({"sections": [{"title": "I", "rows": [{"element": "HELD"}]}]})},
    )
    assert response.status_code == 302
    version = report_form.versions.get()
    assert version.number == 1 and version.status == FormVersion.Status.DRAFT
    assert list(version.data_elements.values_list("code", flat=True)) == ["HELD"]
