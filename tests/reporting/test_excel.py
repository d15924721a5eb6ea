import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.core.factories import current_version, person
from tests.reporting.factories import filled_submission, make_form
from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.accounts.roles import Role
from vhttdl.reporting import excel
from vhttdl.reporting.models import DataValue
from vhttdl.reporting.services import submission_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree, client):
    form = make_form().form
    submission = filled_submission(form, tree.museum_a)
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    return form, submission


def template(client, submission):
    response = client.get(reverse("reporting:excel_template", args=[submission.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def cell_of(book, element, combo):
    for row in book[excel.META_SHEET].iter_rows(min_row=7, values_only=True):
        if row[1] == element and row[2] == combo:
            return row[0]
    raise AssertionError(f"{element}/{combo} not in template")


def as_upload(book, name="bao-cao.xlsx"):
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=excel.XLSX_CONTENT_TYPE)


def upload(client, submission, file):
    return client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"file": file})


def batch_of(response) -> str:
    found = re.search(r'name="batch" value="(\d+)"', response.content.decode())
    return found.group(1) if found else ""


def confirm(client, submission, checked, **kwargs):
    """Post the confirmation of the batch shown on the dry-run page `checked`."""
    url = reverse("reporting:excel_upload", args=[submission.pk])
    return client.post(url, {"confirm": "1", "batch": batch_of(checked)}, **kwargs)


def test_template_has_labels_codes_and_current_values(client, setup):
    _form, submission = setup
    book = template(client, submission)
    sheet = book.worksheets[0]
    assert sheet.protection.sheet and book[excel.META_SHEET].sheet_state == "hidden"
    assert sheet["A1"].value.startswith("T.01")
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Lượt khách" in texts and "Quốc tế" in texts
    assert sheet[cell_of(book, "VISITS", "DOM")].value == 1500
    assert not sheet[cell_of(book, "VISITS", "DOM")].protection.locked
    assert sheet["A1"].protection.locked


def test_round_trip_dry_run_then_confirm(client, setup):
    _form, submission = setup
    book = template(client, submission)
    sheet = book.worksheets[0]
    sheet[cell_of(book, "HELD", "default")] = 2000
    sheet[cell_of(book, "REVENUE", "default")] = "15,5"
    response = upload(client, submission, as_upload(book))
    html = response.content.decode()
    assert response.status_code == 200 and "Tệp hợp lệ" in html and "2 ô khác" in html
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1000"  # not yet
    response = confirm(client, submission, response)
    assert response.status_code == 302
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "2000"
    assert DataValue.objects.get(submission=submission, data_element__code="REVENUE").numeric_value == 15.5


def test_every_bad_cell_is_listed_and_nothing_written(client, setup):
    _form, submission = setup
    book = template(client, submission)
    sheet = book.worksheets[0]
    held, visits, rate = (
        cell_of(book, "HELD", "default"),
        cell_of(book, "VISITS", "INTL"),
        cell_of(book, "RATE", "default"),
    )
    sheet[held] = -5
    sheet[visits] = "một trăm"
    sheet[rate] = 140
    response = upload(client, submission, as_upload(book))
    html = response.content.decode()
    assert response.status_code == 400 and "3 ô không hợp lệ" in html
    for coordinate in (held, visits, rate):
        column = "".join(ch for ch in coordinate if ch.isalpha())
        row = "".join(ch for ch in coordinate if ch.isdigit())
        assert f"<td>{column}</td>" in html and f">{row}</td>" in html
    assert "không được âm" in html and "không phải là số" in html and "0 đến 100" in html
    # A confirm without a clean dry run writes nothing.
    assert batch_of(response) == ""
    client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"confirm": "1"})
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1000"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda meta: meta.cell(row=1, column=2, value="T.99"), "không phải biểu T.01"),
        (lambda meta: meta.cell(row=2, column=2, value=7), "phiên bản 7"),
        (lambda meta: meta.cell(row=3, column=2, value="SO-B-BT"), "đơn vị SO-B-BT"),
        (lambda meta: meta.cell(row=4, column=2, value="202502"), "kỳ 202502"),
    ],
)
def test_wrong_form_version_unit_or_period(client, setup, mutate, message):
    _form, submission = setup
    book = template(client, submission)
    mutate(book[excel.META_SHEET])
    response = upload(client, submission, as_upload(book))
    assert response.status_code == 400 and message in response.content.decode()


def test_bad_files(client, setup, monkeypatch):
    _form, submission = setup
    for file, message in (
        (SimpleUploadedFile("bao-cao.csv", b"a,b\n1,2"), "không phải .xlsx"),
        (SimpleUploadedFile("hong.xlsx", b"this is not a zip"), "bị hỏng"),
        (SimpleUploadedFile("hong2.xlsx", b"PK\x03\x04garbage" * 10), "bị hỏng"),
    ):
        response = upload(client, submission, file)
        assert response.status_code == 400 and message in response.content.decode(), file.name
    from openpyxl import Workbook

    response = upload(client, submission, as_upload(Workbook()))
    assert "không phải mẫu tải từ hệ thống" in response.content.decode()
    monkeypatch.setattr(excel, "MAX_UPLOAD_BYTES", 100)
    response = upload(client, submission, as_upload(template(client, submission)))
    assert response.status_code == 400 and "quá lớn" in response.content.decode()


def test_upload_after_lock_is_refused(client, setup):
    _form, submission = setup
    book = template(client, submission)
    submission_submit(actor=SYSTEM, submission=submission, version=current_version(submission))
    assert upload(client, submission, as_upload(book)).status_code == 403


def test_stale_confirm_does_not_overwrite(client, setup):
    from vhttdl.reporting.services import CellInput, submission_values_save

    _form, submission = setup
    book = template(client, submission)
    book.worksheets[0][cell_of(book, "HELD", "default")] = 3000
    checked = upload(client, submission, as_upload(book))
    submission_values_save(
        actor=SYSTEM, submission=submission, cells=[CellInput("HELD", "default", "42")], version=None
    )
    response = confirm(client, submission, checked)
    assert response.status_code == 409 and "đã được lưu sau khi bạn kiểm tra tệp" in response.content.decode()
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "42"


# --- cell comments ------------------------------------------------------------------------------


def commented(submission):
    from vhttdl.reporting.services import CellInput, submission_values_save

    submission_values_save(
        actor=SYSTEM,
        submission=submission,
        cells=[
            CellInput("HELD", "default", "1000", "Theo kiểm kê 2024"),
            CellInput("VISITS", "INTL", "120", "Dòng một\r\nDòng hai"),  # a browser textarea's line ends
        ],
        version=None,
    )
    submission.refresh_from_db()
    return submission


def label_cell(sheet, text):
    return next(c for row in sheet.iter_rows(max_col=1) for c in row if c.value == text)


def test_template_carries_cell_comments_and_notes_on_labels(client, setup):
    _form, submission = setup
    commented(submission)
    book = template(client, submission)
    sheet = book.worksheets[0]
    assert sheet[cell_of(book, "HELD", "default")].comment.text == "Theo kiểm kê 2024"
    assert sheet[cell_of(book, "VISITS", "INTL")].comment.text.splitlines() == ["Dòng một", "Dòng hai"]
    assert sheet[cell_of(book, "REVENUE", "default")].comment is None
    note = label_cell(sheet, "Số hiện vật").comment.text
    assert "Kiểu giá trị: Số nguyên không âm" in note and "1.234" in note
    assert "Số từ 0 đến 100" in label_cell(sheet, "Tỷ lệ").comment.text
    assert not sheet.protection.objects  # people may add comments to the protected sheet


def test_unchanged_comments_are_not_listed_or_rewritten(client, setup):
    _form, submission = setup
    commented(submission)
    response = upload(client, submission, as_upload(template(client, submission)))
    html = response.content.decode()
    assert response.status_code == 200 and "0 ô khác" in html and "ghi chú sẽ thay đổi" not in html
    version = submission.version
    confirm(client, submission, response)
    submission.refresh_from_db()
    assert submission.version == version  # nothing changed, nothing written
    value = DataValue.objects.get(
        submission=submission, data_element__code="VISITS", category_option_combo__code="INTL"
    )
    assert value.comment == "Dòng một\r\nDòng hai"


def test_comments_from_the_file_are_listed_then_saved_with_the_values(client, setup):
    from openpyxl.comments import Comment

    _form, submission = setup
    commented(submission)
    book = template(client, submission)
    sheet = book.worksheets[0]
    sheet[cell_of(book, "REVENUE", "default")].comment = Comment("Nguyễn Văn A:\nGồm vé và dịch vụ", "Nguyễn Văn A")
    sheet[cell_of(book, "HELD", "default")].comment = Comment("Theo kiểm kê 2025", "VHTTDL")
    sheet[cell_of(book, "HELD", "default")] = 1100
    sheet[cell_of(book, "VISITS", "INTL")].comment = None
    sheet[cell_of(book, "DIGITISED", "default")] = None  # emptied, but with a note: the note is kept
    sheet[cell_of(book, "DIGITISED", "default")].comment = Comment("Chưa số hóa xong", "B")
    label_cell(sheet, "Doanh thu").comment = Comment("ghi chú ở ô tiêu đề: không phải của ô số liệu", "C")
    response = upload(client, submission, as_upload(book))
    html = response.content.decode()
    assert response.status_code == 200 and "4 ghi chú sẽ thay đổi" in html
    assert "Gồm vé và dịch vụ" in html and "Nguyễn Văn A:" not in html
    assert "Theo kiểm kê 2024" in html and "Theo kiểm kê 2025" in html and "(xóa ghi chú)" in html
    held = DataValue.objects.get(submission=submission, data_element__code="HELD")
    assert (held.value, held.comment) == ("1000", "Theo kiểm kê 2024")  # a dry run writes nothing
    version = submission.version
    response = confirm(client, submission, response)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.version == version + 1  # values and comments in one save
    values = {
        (v.data_element.code, v.category_option_combo.code): v
        for v in DataValue.objects.filter(submission=submission).select_related("data_element", "category_option_combo")
    }
    assert (values["HELD", "default"].value, values["HELD", "default"].comment) == ("1100", "Theo kiểm kê 2025")
    assert values["REVENUE", "default"].comment == "Gồm vé và dịch vụ"
    assert values["VISITS", "INTL"].comment == "" and values["VISITS", "INTL"].value == "120"
    assert (values["DIGITISED", "default"].value, values["DIGITISED", "default"].comment) == ("", "Chưa số hóa xong")
    assert "tiêu đề" not in " ".join(v.comment for v in values.values())


def test_comment_text_drops_what_excel_adds():
    from openpyxl.comments import Comment

    assert excel.comment_text(None) == ""
    assert excel.comment_text(Comment("Trần B:\nSố tạm tính", "Trần B")) == "Số tạm tính"
    assert excel.comment_text(Comment("Trần B: số tạm tính", "Trần B")) == "Trần B: số tạm tính"
    threaded = (
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any "
        "edits to it will get removed if the file is opened in a newer version of Excel. Learn more: "
        "https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    Số liệu ước tính\n    đến ngày 20"
    )
    assert excel.comment_text(Comment(threaded, "tc={1}")) == "Số liệu ước tính\nđến ngày 20"


# --- the stored batch, the report's version, limits and bad input (issue 8) -----------------------


def test_dry_run_lists_each_changed_cell_with_old_and_new_value(client, setup):
    _form, submission = setup
    book = template(client, submission)
    held = cell_of(book, "HELD", "default")
    book.worksheets[0][held] = 2000
    book.worksheets[0][cell_of(book, "RATE", "default")] = None
    response = upload(client, submission, as_upload(book))
    html = response.content.decode()
    assert response.status_code == 200 and "2 ô sẽ thay đổi" in html
    row = re.search(rf'<tr data-cell="{held}">(.*?)</tr>', html).group(1)
    assert ">1000<" in row and ">2000<" in row and "Số hiện vật" in row
    assert "(xóa số liệu)" in html


def test_a_template_made_before_the_last_save_is_refused_409(client, setup):
    from vhttdl.reporting.services import CellInput, submission_values_save

    _form, submission = setup
    book = template(client, submission)
    book.worksheets[0][cell_of(book, "HELD", "default")] = 3000
    submission_values_save(actor=SYSTEM, submission=submission, cells=[CellInput("HELD", "default", "42")],
                           version=None)
    response = upload(client, submission, as_upload(book))
    assert response.status_code == 409 and "Tệp được tải về khi báo cáo ở phiên bản" in response.content.decode()
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "42"


def test_a_template_without_the_reports_version_is_refused(client, setup):
    _form, submission = setup
    book = template(client, submission)
    meta = book[excel.META_SHEET]
    assert meta.cell(row=6, column=1).value == "report_version"
    meta.cell(row=6, column=1, value="ghi chú")
    response = upload(client, submission, as_upload(book))
    assert response.status_code == 400 and "mẫu cũ" in response.content.decode()


@pytest.mark.parametrize("reference", ["ZZZZ1", "A0", "C1048577", "'; DROP TABLE", "Báo cáo!C12", "XFE3"])
def test_a_tampered_hidden_sheet_is_a_clear_400(client, setup, reference):
    _form, submission = setup
    book = template(client, submission)
    book[excel.META_SHEET].cell(row=8, column=1, value=reference)
    response = upload(client, submission, as_upload(book))
    assert response.status_code == 400 and "đã bị sửa" in response.content.decode()


def test_a_cell_listed_twice_in_the_hidden_sheet_is_tampering(client, setup):
    _form, submission = setup
    book = template(client, submission)
    meta = book[excel.META_SHEET]
    meta.cell(row=9, column=1, value=meta.cell(row=8, column=1).value)
    response = upload(client, submission, as_upload(book))
    assert response.status_code == 400 and "xuất hiện hai lần" in response.content.decode()


def test_a_workbook_bomb_is_refused_before_it_is_read(client, setup):
    from tests.core.files.helpers import with_extra_entry

    _form, submission = setup
    out = io.BytesIO()
    template(client, submission).save(out)
    bomb = with_extra_entry(out.getvalue(), "xl/media/image1.bin", 60 * 1024 * 1024)
    assert len(bomb) < excel.MAX_UPLOAD_BYTES
    response = upload(client, submission, SimpleUploadedFile("bao-cao.xlsx", bomb))
    assert response.status_code == 400 and "quá lớn khi giải nén" in response.content.decode()


def test_long_comments_and_control_characters_are_refused_per_cell(client, setup):
    from openpyxl.comments import Comment

    _form, submission = setup
    book = template(client, submission)
    sheet = book.worksheets[0]
    sheet[cell_of(book, "HELD", "default")].comment = Comment("x" * 2001, "A")
    sheet[cell_of(book, "REVENUE", "default")] = "12\x85"
    sheet[cell_of(book, "RATE", "default")].comment = Comment("ghi chú \x9b31m", "A")
    response = upload(client, submission, as_upload(book))
    html = response.content.decode()
    assert response.status_code == 400 and "3 ô không hợp lệ" in html
    assert "2001 ký tự" in html and "U+0085" in html and "U+009B" in html


def test_the_web_grid_and_api_path_holds_comments_to_the_same_limit(setup):
    from vhttdl.core.errors import InvalidInput
    from vhttdl.reporting.services import CellInput, submission_values_save

    _form, submission = setup
    with pytest.raises(InvalidInput) as exc:
        submission_values_save(actor=SYSTEM, submission=submission, version=None,
                               cells=[CellInput("HELD", "default", "1", "y" * 20_000_000)])
    assert exc.value.details["errors"][0]["code"] == "bad_comment"


def test_confirming_twice_writes_once(client, setup):
    _form, submission = setup
    book = template(client, submission)
    book.worksheets[0][cell_of(book, "HELD", "default")] = 2000
    checked = upload(client, submission, as_upload(book))
    assert confirm(client, submission, checked).status_code == 302
    version = DataValue.objects.get(submission=submission, data_element__code="HELD").submission.version
    second = confirm(client, submission, checked)
    assert second.status_code == 409 and "không ghi lần thứ hai" in second.content.decode()
    submission.refresh_from_db()
    assert submission.version == version


def test_someone_elses_batch_cannot_be_confirmed(client, setup, tree):
    _form, submission = setup
    book = template(client, submission)
    book.worksheets[0][cell_of(book, "HELD", "default")] = 2000
    checked = upload(client, submission, as_upload(book))
    client.force_login(person(Role.UNIT_STAFF, tree.museum_a))
    assert confirm(client, submission, checked).status_code == 403
    assert DataValue.objects.get(submission=submission, data_element__code="HELD").value == "1000"


def test_comment_changes_are_itemised_in_the_audit_log(client, setup):
    from openpyxl.comments import Comment

    from vhttdl.core.audit.models import AuditEntry

    _form, submission = setup
    book = template(client, submission)
    book.worksheets[0][cell_of(book, "HELD", "default")].comment = Comment("Theo kiểm kê 2025", "A")
    assert confirm(client, submission, upload(client, submission, as_upload(book))).status_code == 302
    entry = AuditEntry.objects.filter(action="reporting.values_save").order_by("-seq").first()
    cell = next(c for c in entry.after["cells"] if c["element"] == "HELD")
    assert cell["old_comment"] == "" and cell["new_comment"] == "Theo kiểm kê 2025"
    assert cell["old"] == cell["new"] == "1000"


def test_the_template_never_fails_on_stored_text(client, setup):
    from vhttdl.core.units.models import Organisation

    _form, submission = setup
    Organisation.objects.filter(pk=submission.organisation_id).update(name="=HYPERLINK(\"x\")\x01 Bảo tàng")
    DataValue.objects.filter(submission=submission, data_element__code="HELD").update(comment="ghi\x01chú")
    book = template(client, submission)
    texts = [c.value for row in book.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"x\") Bảo tàng" in texts
    assert book.worksheets[0][cell_of(book, "HELD", "default")].comment.text == "ghichú"
