import io

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
    response = client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"confirm": "1"})
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
    upload(client, submission, as_upload(book))
    submission_values_save(
        actor=SYSTEM, submission=submission, cells=[CellInput("HELD", "default", "42")], version=None
    )
    response = client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"confirm": "1"}, follow=True)
    assert "người khác lưu" in response.content.decode()
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
    client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"confirm": "1"})
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
    response = client.post(reverse("reporting:excel_upload", args=[submission.pk]), {"confirm": "1"})
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
