import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    DataElement,
    DataValue,
    FormVersion,
    PeriodType,
    ReportForm,
    Submission,
    ValidationRule,
)
from vhttdl.reporting.periods import period_containing
from vhttdl.reporting.services import submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(tree):
    return make_form().form


@pytest.fixture
def staff(tree, client):
    user = person(Role.UNIT_STAFF, tree.museum_a)
    client.force_login(user)
    return user


def save(client, submission, cells, version):
    return client.post(
        reverse("reporting:save", args=[submission.pk]),
        data=json.dumps({"version": version, "cells": cells}),
        content_type="application/json",
    )


def test_my_reports_lists_due_forms_and_opens_a_draft(client, tree, form, staff):
    page = client.get(reverse("reporting:my_reports"))
    assert page.status_code == 200
    assert "T.01" in page.content.decode() and "Lập báo cáo" in page.content.decode()
    code = period_containing("monthly", timezone.localdate())
    response = client.post(
        reverse("reporting:open"), {"form": "T.01", "organisation": tree.museum_a.pk, "period": code}
    )
    submission = Submission.objects.get(organisation=tree.museum_a, period__code=code)
    assert response.status_code == 302 and response.url == reverse("reporting:submission", args=[submission.pk])


def test_open_for_another_unit_is_refused_with_a_message(client, tree, form, staff):
    response = client.post(
        reverse("reporting:open"), {"form": "T.01", "organisation": tree.dept_a.pk, "period": "202501"}, follow=True
    )
    assert "Chỉ đơn vị" in response.content.decode()
    assert not Submission.objects.exists()


def test_grid_renders_cells_totals_and_autosaves(client, tree, form, staff):
    submission = filled_submission(form, tree.museum_a)
    page = client.get(reverse("reporting:submission", args=[submission.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="v:VISITS:INTL"' in html and 'value="1.500"' in html  # in the reader's format, like the total
    assert 'data-total-for="VISITS"' in html and "1620" in html.replace(".", "")  # 120 + 1500
    assert "reporting/grid.js" in html
    response = save(
        client,
        submission,
        [
            {"element": "VISITS", "combo": "INTL", "value": "200"},
            {"element": "RATE", "combo": "default", "value": "300"},
        ],
        submission.version,
    )
    body = response.json()
    assert response.status_code == 200
    assert body["version"] == submission.version + 1 and body["saved"] == 1
    assert body["errors"][0]["element"] == "RATE" and "0 đến 100" in body["errors"][0]["message"]
    assert "saved_at" in body


def test_stale_autosave_gets_409_with_changed_cells(client, tree, form, staff):
    submission = filled_submission(form, tree.museum_a)
    version = submission.version
    assert (
        save(client, submission, [{"element": "HELD", "combo": "default", "value": "999"}], version).status_code == 200
    )
    response = save(client, submission, [{"element": "HELD", "combo": "default", "value": "5"}], version)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["details"]["changed"][0]["new"] == "999"
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "999"


def test_plain_form_post_saves_without_script(client, tree, form, staff):
    submission = filled_submission(form, tree.museum_a)
    response = client.post(
        reverse("reporting:save", args=[submission.pk]),
        {
            "version": submission.version,
            "v:HELD:default": "1.234",
            "c:HELD:default": "Theo kiểm kê 2024",
        },
        follow=True,
    )
    assert "Đã lưu lúc" in response.content.decode()
    value = DataValue.objects.get(submission=submission, data_element__code="HELD")
    assert (value.value, value.comment) == ("1234", "Theo kiểm kê 2024")


def test_submit_approve_return_through_pages(client, tree, form, staff, django_capture_on_commit_callbacks):
    submission = filled_submission(form, tree.museum_a)
    response = client.post(
        reverse("reporting:submit", args=[submission.pk]), {"version": submission.version}, follow=True
    )
    assert "Đã nộp báo cáo" in response.content.decode()
    # Values are locked now: the page is read-only and a save is refused.
    page = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    assert "readonly" in page and "đã khóa" in page
    assert save(client, submission, [{"element": "HELD", "combo": "default", "value": "1"}],
                current_version(submission)).status_code == 409
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a)
    client.force_login(leader)
    response = client.post(reverse("reporting:return", args=[submission.pk]),
                           {"reason": "", "version": current_version(submission)}, follow=True)
    assert "Cần ghi lý do" in response.content.decode()
    refused = client.post(reverse("reporting:approve", args=[submission.pk]), follow=True)  # no version: refused
    assert "Thiếu phiên bản" in refused.content.decode()
    client.post(reverse("reporting:approve", args=[submission.pk]), {"version": current_version(submission)})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    client.post(reverse("reporting:return", args=[submission.pk]),
                {"reason": "Kiểm tra lại số hiện vật", "version": submission.version})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED and "hiện vật" in submission.returned_reason


def test_other_province_cannot_open_or_act(client, tree, form):
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_b))
    assert client.get(reverse("reporting:submission", args=[submission.pk])).status_code == 404
    assert client.post(reverse("reporting:approve", args=[submission.pk])).status_code == 404
    assert save(client, submission, [], None).status_code == 404


def test_submission_list_is_scoped_filtered_and_query_bounded(client, tree, form, django_assert_max_num_queries):
    for code in ("202401", "202402", "202403", "202404", "202405", "202406"):
        filled_submission(form, tree.museum_a, period_code=code)
        filled_submission(form, tree.museum_b, period_code=code)
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reporting:submissions"))
    html = page.content.decode()
    assert html.count("Bảo tàng An</a>") == 6 and "Bảo tàng Bình" not in html
    assert html.count("Chờ Bảo tàng An nhập và nộp") == 6  # who acts next, on every row
    page = client.get(reverse("reporting:submissions"), {"period": "202403"})
    assert page.content.decode().count("Bảo tàng An</a>") == 1
    # The period is picked by name from the periods that have reports, not typed as a code.
    assert '<option value="202403" selected>Tháng 03/2024</option>' in page.content.decode()
    assert '<option value="202406">Tháng 06/2024</option>' in html and 'value="202407"' not in html
    kept = client.get(reverse("reporting:submissions"), {"period": "2023"}).content.decode()
    assert '<option value="2023" selected>2023</option>' in kept  # from a link: still shown
    partial = client.get(reverse("reporting:submissions"), {"status": "draft"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_inbox_and_home_cards(client, tree, form, django_assert_max_num_queries):
    for code in ("202401", "202402", "202403"):
        submission = filled_submission(form, tree.museum_a, period_code=code)
        submission_submit(actor=SYSTEM, submission=submission, version=current_version(submission))
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reporting:inbox"))
    assert page.content.decode().count("Xem và duyệt") == 3
    home = client.get(reverse("ui:home")).content.decode()
    assert "Báo cáo chờ tôi duyệt" in home


def test_completeness_periods_and_units_are_picked_by_name(client, tree, form):
    filled_submission(form, tree.museum_a, period_code="202401")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    url = reverse("reporting:completeness")
    html = client.get(url, {"form": form.code, "from": "202401", "to": "202403"}).content.decode()
    assert '<option value="202401" selected>Tháng 01/2024</option>' in html  # from
    assert '<option value="202403" selected>Tháng 03/2024</option>' in html  # to
    assert f'<option value="{tree.dept_a.code}">' in html and f'<option value="{tree.dept_b.code}">' in html
    under = client.get(url, {"form": form.code, "from": "202401", "to": "202401", "under": tree.dept_b.code})
    assert f'<option value="{tree.dept_b.code}" selected>' in under.content.decode()
    assert "Bảo tàng An" not in under.content.decode()
    # Another form picked with the old form's months still in the pickers: its own default range, no error.
    other = make_form("Y.01", period_type=PeriodType.YEARLY).form
    page = client.get(url, {"form": other.code, "shown": form.code, "from": "202401", "to": "202403"}).content.decode()
    assert "không cùng loại kỳ" not in page and f'<option value="{timezone.localdate().year}" selected>' in page
    typed = client.get(url, {"form": other.code, "from": "202401", "to": "202403"}).content.decode()
    assert "không cùng loại kỳ" in typed  # a link with months for a yearly form still says what is wrong
    # A department officer is offered only what is in their scope.
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    mine = client.get(url, {"form": form.code}).content.decode()
    assert f'<option value="{tree.dept_a.code}">' in mine and f'value="{tree.dept_b.code}"' not in mine


def test_completeness_page_and_exports(client, tree, form):
    done = filled_submission(form, tree.museum_a, period_code="202501")
    submission_submit(actor=SYSTEM, submission=done, version=current_version(done))
    filled_submission(form, tree.dept_a, period_code="202501")
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    page = client.get(reverse("reporting:completeness"), {"form": "T.01", "from": "202501", "to": "202502"})
    html = page.content.decode()
    assert page.status_code == 200 and "m-submitted" in html and "m-draft" in html and "m-missing" in html
    csv = client.get(
        reverse("reporting:completeness_export", args=["csv"]), {"form": "T.01", "from": "202501", "to": "202502"}
    ).content.decode("utf-8-sig")
    assert "SO-A-BT" in csv and "Đã nộp" in csv and "Chưa nộp" in csv
    xlsx = client.get(reverse("reporting:completeness_export", args=["xlsx"]), {"form": "T.01"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = client.get(reverse("reporting:completeness"), {"form": "T.01", "to": "2025Q1"})
    assert "không cùng loại kỳ" in bad.content.decode()


def test_completeness_is_scoped(client, tree, form):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_b))
    html = client.get(reverse("reporting:completeness"), {"form": "T.01"}).content.decode()
    assert "Bảo tàng Bình" in html and "Bảo tàng An" not in html


# --- designer -----------------------------------------------------------------------------------


def test_designer_pages_need_design_permission(client, tree, form):
    client.force_login(person(Role.DEPARTMENT_LEADER, tree.dept_a))
    assert client.get(reverse("reporting:design")).status_code == 403
    assert "Thiết kế biểu mẫu" not in client.get(reverse("reporting:index")).content.decode()
    assert client.post(reverse("reporting:design_category_new"), {"code": "X", "name": "X"}).status_code == 403


def test_official_defines_a_form_without_code(client, tree):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    assert client.get(reverse("reporting:design")).status_code == 200
    assert "Thiết kế biểu mẫu" in client.get(reverse("reporting:index")).content.decode()
    r = client.post(
        reverse("reporting:design_category_new"),
        {"code": "GIOI_TINH", "name": "Giới tính", "options": "NAM | Nam | Male\nNU | Nữ | Female"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("reporting:design_combo_new"),
        {"code": "GT", "name": "Giới tính", "categories": [Category.objects.get(code="GIOI_TINH").pk]},
    )
    assert r.status_code == 302
    combo = CategoryCombo.objects.get(code="GT")
    assert set(combo.option_combos.values_list("code", flat=True)) == {"NAM", "NU"}
    for code, name in (("VDV", "Vận động viên"), ("HLV", "Huấn luyện viên")):
        r = client.post(
            reverse("reporting:design_element_new"),
            {
                "code": code,
                "name": name,
                "value_type": "non_negative_integer",
                "aggregation": "sum",
                "category_combo": combo.pk,
                "unit_of_measure": "người",
            },
        )
        assert r.status_code == 302, r.content.decode()[:500]
    r = client.post(
        reverse("reporting:design_form_new"),
        {
            "code": "TT.02",
            "title": "Lực lượng thể thao",
            "period_type": "yearly",
            "data_window": "calendar",
            "deadline_anchor": "month_after",
            "deadline_day": 15,
            "expiry_days": 0,
            "submitter_kinds": ["department"],
            "is_active": "on",
        },
    )
    report_form = ReportForm.objects.get(code="TT.02")
    assert r.status_code == 302 and r.url == reverse("reporting:design_form", args=[report_form.pk])
    r = client.post(
        reverse("reporting:design_form", args=[report_form.pk]),
        {"text": "# I. Lực lượng | I. Workforce\nVDV\nHLV | Huấn luyện viên các cấp"},
    )
    assert r.status_code == 302
    version = report_form.versions.get()
    assert version.layout["sections"][0]["rows"][1] == {
        "element": "HLV",
        "label": "Huấn luyện viên các cấp",
        "label_en": "",
    }
    client.post(reverse("reporting:design_publish", args=[report_form.pk, version.pk]))
    version.refresh_from_db()
    assert version.status == FormVersion.Status.PUBLISHED
    r = client.post(
        reverse("reporting:design_rule_add", args=[report_form.pk]),
        {
            "code": "HLV_VDV",
            "left": "#{HLV}",
            "operator": "<=",
            "right": "#{VDV}",
            "importance": "warning",
            "message": "Số huấn luyện viên thường ít hơn vận động viên",
        },
    )
    assert ValidationRule.objects.filter(form=report_form, code="HLV_VDV").exists()
    page = client.get(reverse("reporting:design_form", args=[report_form.pk])).content.decode()
    assert "Huấn luyện viên các cấp" in page and "HLV_VDV" in page


def test_layout_errors_are_shown_not_saved(client, tree, form):
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    r = client.post(reverse("reporting:design_form", args=[form.pk]), {"text": "VISITS\n# Mục"})
    assert r.status_code == 400 and "cần một mục" in r.content.decode()
    r = client.post(reverse("reporting:design_form", args=[form.pk]), {"text": "# Mục\nKHONG_CO"})
    assert r.status_code == 400 and "KHONG_CO" in r.content.decode()
    assert form.versions.count() == 1


def test_element_in_use_keeps_its_type(client, tree, form):
    filled_submission(form, tree.museum_a)
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    element = DataElement.objects.get(code="HELD")
    r = client.post(
        reverse("reporting:design_element", args=[element.pk]),
        {
            "code": "HELD",
            "name": "Số hiện vật",
            "value_type": "text",
            "aggregation": "sum",
            "category_combo": element.category_combo_id,
        },
    )
    assert r.status_code == 400 and "đã có số liệu" in r.content.decode()


def test_two_category_element_is_a_cross_tab_with_totals(client, tree):
    from vhttdl.reporting.models import DataElement
    from vhttdl.reporting.periods import period_for_code
    from vhttdl.reporting.services import CellInput, metadata, submission_open, submission_values_save

    origin = metadata.category_save(
        actor=SYSTEM, code="NK", name="Nguồn khách", options=[("QT", "Quốc tế", ""), ("ND", "Nội địa", "")]
    )
    stay = metadata.category_save(
        actor=SYSTEM, code="LT", name="Lưu trú", options=[("CO", "Có lưu trú", ""), ("TN", "Trong ngày", "")]
    )
    combo = metadata.combo_save(actor=SYSTEM, code="NK_LT", name="Nguồn khách × lưu trú", categories=[origin, stay])
    metadata.data_element_save(actor=SYSTEM, code="KHACH", name="Lượt khách", category_combo=combo)
    form = metadata.form_save(
        actor=SYSTEM, code="DL.T", title="Du lịch", period_type="monthly", submitter_kinds=["museum"]
    )
    version = metadata.form_layout_save(
        actor=SYSTEM, form=form, layout={"sections": [{"title": "I", "rows": [{"element": "KHACH"}]}]}
    )
    metadata.form_version_publish(actor=SYSTEM, version=version)
    submission = submission_open(actor=SYSTEM, form=form, organisation=tree.museum_a, period=period_for_code("202501"))
    submission_values_save(
        actor=SYSTEM,
        submission=submission,
        version=None,
        cells=[CellInput("KHACH", "QT_CO", "10"), CellInput("KHACH", "QT_TN", "5"), CellInput("KHACH", "ND_CO", "100")],
    )
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    assert 'data-row="KHACH:QT"' in html and 'data-row="KHACH:ND"' in html
    assert 'data-r="QT" data-c="CO"' in html
    assert '<th scope="col" class="num">Có lưu trú</th>' in html
    assert 'data-sum-row="KHACH|QT">15<' in html and 'data-sum-col="KHACH|CO">110<' in html
    assert 'data-total-for="KHACH"' in html and ">115<" in html
    assert DataElement.objects.get(code="KHACH").category_combo.option_combos.count() == 4
    client.force_login(person(Role.MINISTRY_OFFICER, tree.ministry))
    preview = client.get(reverse("reporting:design_form", args=[form.pk])).content.decode()
    assert "Lượt khách – Quốc tế" in preview


def test_open_form_for_another_units_existing_report_does_not_redirect_to_it(client, tree, form, staff):
    """D1: the HTML open form used to redirect to the other unit's report."""
    existing = filled_submission(form, tree.museum_b)
    response = client.post(
        reverse("reporting:open"), {"form": "T.01", "organisation": tree.museum_b.pk, "period": "202501"}
    )
    assert response.status_code == 403
    assert reverse("reporting:submission", args=[existing.pk]) not in response.content.decode()
    assert "Chỉ đơn vị" in response.content.decode()
