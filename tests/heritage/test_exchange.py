"""Import (CSV, Excel, dry run, one transaction) and export (CSV, Excel, GeoJSON) of sites."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.factories import person
from tests.heritage.factories import SiteFactory, SiteTranslationFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import InvalidInput
from vhttdl.core.imports.models import ImportBatch
from vhttdl.core.revisions.models import Revision
from vhttdl.core.search.models import SearchDocument
from vhttdl.heritage.exchange.exports import export_csv, export_geojson, export_xlsx
from vhttdl.heritage.exchange.imports import site_import_check, site_import_commit, sites_import
from vhttdl.heritage.models import RankingDecision, RecordStatus, Site, SiteTranslation

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "province_code", "commune_code", "rank", "type", "latitude", "longitude",
          "decision_number", "decision_date", "decision_issuer", "name_en", "description"]


def csv_bytes(rows, header=HEADER, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def good_row(code="81-0001", commune="81001", **extra):
    row = {"code": code, "name": f"Đình {code}", "province_code": "81", "commune_code": commune,
           "rank": "quốc gia", "type": "kiến trúc nghệ thuật", "latitude": "21,03", "longitude": "105.85",
           "decision_number": "100/QĐ-BVHTTDL", "decision_date": "12/05/2010", "decision_issuer": "Bộ VHTTDL",
           "name_en": "Communal house", "description": "Mô tả."}
    row.update(extra)
    return [row[h] for h in HEADER]


@pytest.fixture
def officer(tree, places):
    return person(Role.DEPARTMENT_OFFICER, tree.dept_a)


def errors_by_row(report):
    return {r.row: {(e.column, e.message) for e in r.errors} for r in report.rows if r.errors}


def test_dry_run_reports_and_writes_nothing(officer):
    report = sites_import(actor=officer, file=csv_bytes([good_row("81-0001"), good_row("81-0002", "81002")]),
                          filename="ds.csv", dry_run=True)
    assert report.is_clean and report.total == 2 and report.to_create == 2
    assert not report.committed and not Site.objects.exists()


def test_commit_creates_sites_with_revisions_translations_decisions_audit_and_search(officer, tree):
    report = sites_import(actor=officer, file=csv_bytes([good_row("81-0001"), good_row("81-0002", "81002")]),
                          filename="ds.csv", dry_run=False)
    assert report.committed and report.created == 2 and report.updated == 0
    site = Site.objects.get(code="81-0001")
    assert site.organisation == tree.dept_a and site.status == RecordStatus.DRAFT
    assert site.latitude == pytest.approx(21.03) and site.commune.code == "81001"
    assert site.rank == "national" and site.site_type == "architectural_artistic"
    assert SiteTranslation.objects.get(site=site, language="en").name == "Communal house"
    decision = RankingDecision.objects.get(site=site)
    assert decision.decided_on.isoformat() == "2010-05-12" and decision.rank == "national"
    assert Revision.objects.get(object_id=site.pk).action == "imported"
    assert AuditEntry.objects.filter(action="heritage.site.imported").count() == 1
    assert SearchDocument.objects.filter(kind="heritage.site").count() == 2


def test_every_bad_row_is_reported_with_its_cell_and_nothing_is_written(officer, tree):
    SiteFactory(code="82-0009", organisation=tree.dept_b)  # another province's record
    rows = [
        good_row("81-0001"),                                        # row 2: fine
        good_row("81-0002", latitude="18.0", longitude="109.3"),    # row 3: sea off Hainan
        good_row("81-0003", commune="99999"),                       # row 4: unknown commune
        good_row("81-0004", commune="82001"),                       # row 5: commune of another province
        good_row("81-0001"),                                        # row 6: duplicate in the file
        good_row("82-0009"),                                        # row 7: code of another unit
        good_row("81-0007", rank="hạng nhất"),                      # row 8: bad rank
        good_row("81-0008", type="lâu đài"),                        # row 9: bad type
        good_row("81-0009", name=""),                               # row 10: missing name
        good_row("81-0010", province_code="00", commune=""),        # row 11: unknown province
        good_row("81-0011", decision_date="31/02/2020"),            # row 12: bad date
    ]
    report = sites_import(actor=officer, file=csv_bytes(rows), filename="loi.csv", dry_run=False)
    assert not report.committed and report.error_count == 10
    bad = errors_by_row(report)
    assert 2 not in bad
    assert {c for c, _ in bad[3]} == {"latitude"} and any("ngoài lãnh thổ" in m for _, m in bad[3])
    assert {c for c, _ in bad[4]} == {"commune_code"}
    assert any("không thuộc" in m for _, m in bad[5])
    assert any("trùng với dòng 2" in m for _, m in bad[6])
    assert any("đơn vị khác" in m for _, m in bad[7])
    assert {c for c, _ in bad[8]} == {"rank"}
    assert {c for c, _ in bad[9]} == {"type"}
    assert {c for c, _ in bad[10]} == {"name"}
    assert ("province_code" in {c for c, _ in bad[11]})
    assert {c for c, _ in bad[12]} == {"decision_date"}
    assert Site.objects.count() == 1 and not Revision.objects.exists()
    assert not AuditEntry.objects.filter(action="heritage.site.imported").exists()


def test_existing_code_in_scope_is_an_update_of_present_columns_only(officer, tree):
    site = SiteFactory(code="81-0001", organisation=tree.dept_a, description="Giữ nguyên", history="Cũ",
                       status=RecordStatus.DRAFT)
    header = ["code", "name", "province_code", "rank", "type"]
    report = sites_import(actor=officer, file=csv_bytes([["81-0001", "Tên mới", "81", "cấp tỉnh", "lịch sử"]],
                                                        header=header), filename="u.csv", dry_run=False)
    assert report.committed and report.updated == 1 and report.created == 0
    site.refresh_from_db()
    assert site.name == "Tên mới" and site.rank == "provincial" and site.description == "Giữ nguyên"
    assert site.version == 2
    revision = Revision.objects.get(object_id=site.pk)
    assert revision.changes["name"][1] == "Tên mới" and "description" not in revision.changes


def test_officer_cannot_publish_through_an_import_but_a_leader_can(officer, tree):
    header = [*HEADER, "status"]
    rows = [[*good_row("81-0001"), "công bố"]]
    report = sites_import(actor=officer, file=csv_bytes(rows, header=header), filename="p.csv", dry_run=False)
    assert not report.committed and {c for c, _ in errors_by_row(report)[2]} == {"status"}
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a)
    report = sites_import(actor=leader, file=csv_bytes(rows, header=header), filename="p.csv", dry_run=False)
    assert report.committed
    assert Site.objects.get(code="81-0001").status == RecordStatus.PUBLISHED


def test_excel_import_with_vietnamese_headers(officer):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã di tích", "Tên di tích", "Mã tỉnh", "Mã xã", "Cấp xếp hạng", "Loại hình", "Vĩ độ", "Kinh độ"])
    sheet.append(["81-0100", "Chùa An", "81", "81002", "Di tích quốc gia đặc biệt", "Danh lam thắng cảnh",
                  21.01, 105.80])
    out = io.BytesIO()
    workbook.save(out)
    report = sites_import(actor=officer, file=out.getvalue(), filename="ds.xlsx", dry_run=False)
    assert report.committed, errors_by_row(report)
    site = Site.objects.get(code="81-0100")
    assert site.rank == "special_national" and site.site_type == "scenic"


@pytest.mark.parametrize(
    ("content", "filename", "fragment"),
    [
        (b"not a workbook", "x.xlsx", "Excel"),
        ("code,name\nA,Đình".encode("cp1258", errors="replace") + b"\xff\xfe", "x.csv", "UTF-8"),
        (b"code;name\n81-1;X\n", "x.csv", "Thiếu cột bắt buộc"),
        (b"", "x.csv", "rỗng"),
        (b"code,name,province_code,rank,type\n", "x.csv", "không có dòng dữ liệu"),
        (b"a,b", "x.txt", ".csv"),
    ],
)
def test_unreadable_files_are_reported(officer, content, filename, fragment):
    report = sites_import(actor=officer, file=content, filename=filename, dry_run=False)
    assert not report.committed and report.file_errors
    assert fragment in " ".join(report.file_errors)


def test_semicolon_csv_and_bom_are_read(officer):
    content = "\ufeff".encode() + csv_bytes([good_row("81-0001")], delimiter=";")
    report = sites_import(actor=officer, file=content, filename="ds.csv", dry_run=True)
    assert report.is_clean, errors_by_row(report)


def test_people_without_heritage_edit_cannot_import(tree):
    applicant = person(Role.APPLICANT, tree.ministry)
    with pytest.raises(PermissionDenied):
        sites_import(actor=applicant, file=csv_bytes([good_row()]), filename="x.csv")


def test_bulk_import_of_many_rows(officer):
    rows = [good_row(f"81-{i:05d}", latitude=f"{20.5 + i / 10000:.5f}", name_en="") for i in range(600)]
    report = sites_import(actor=officer, file=csv_bytes(rows), filename="big.csv", dry_run=False)
    assert report.committed and report.created == 600
    assert Site.objects.count() == 600 and Revision.objects.count() == 600
    assert SearchDocument.objects.filter(kind="heritage.site").count() == 600


def test_export_then_import_round_trip(officer, tree, places):
    site = SiteFactory(code="81-0001", organisation=tree.dept_a, commune=places["a1"], name="=cmd|' /C calc'!A0",
                       description="Mô tả, có dấu phẩy\nvà xuống dòng", status=RecordStatus.DRAFT)
    SiteTranslationFactory(site=site, name="House")
    RankingDecision.objects.create(site=site, number="9/QĐ", rank="national", issuer="Bộ")
    content = export_csv(Site.objects.all())
    text = content.decode("utf-8")
    assert text.startswith("\ufeffcode,name")
    assert "'=cmd" in text  # formula guard
    report = sites_import(actor=officer, file=content, filename="export.csv", dry_run=False)
    assert report.committed and report.updated == 1, errors_by_row(report)
    site.refresh_from_db()
    assert site.name == "=cmd|' /C calc'!A0" and site.description == "Mô tả, có dấu phẩy\nvà xuống dòng"
    assert RankingDecision.objects.filter(site=site).count() == 1  # same number: not added twice
    xlsx = export_xlsx(Site.objects.all())
    report = sites_import(actor=officer, file=xlsx, filename="export.xlsx", dry_run=True)
    assert report.is_clean and report.to_update == 1, errors_by_row(report)


def test_geojson_export_has_only_published_sites_with_coordinates(tree):
    published = SiteFactory(organisation=tree.dept_a)
    SiteTranslationFactory(site=published, name="Temple")
    SiteFactory(organisation=tree.dept_a, status=RecordStatus.DRAFT)
    SiteFactory(organisation=tree.dept_a, latitude=None, longitude=None)
    data = export_geojson(Site.objects.all())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [published.longitude, published.latitude]
    assert feature["properties"]["code"] == published.code and feature["properties"]["name_en"] == "Temple"
    json.dumps(data)  # serialisable


def test_back_office_two_steps_check_then_commit(officer, media_root):
    upload = SimpleUploadedFile("ds.csv", csv_bytes([good_row("81-0001")]), content_type="text/csv")
    item = site_import_check(actor=officer, upload=upload)
    assert item.status == ImportBatch.Status.CHECKED and item.rows_total == 1 and not Site.objects.exists()
    item = site_import_commit(actor=officer, batch=item)
    assert item.status == ImportBatch.Status.COMMITTED and Site.objects.filter(code="81-0001").exists()
    assert item.report["created"] == 1


def test_back_office_check_refuses_unsafe_names_and_huge_files(officer, media_root):
    with pytest.raises(InvalidInput):
        site_import_check(actor=officer, upload=SimpleUploadedFile("ds<script>.csv", b"a"))
    big = SimpleUploadedFile("ds.csv", b"code,name\n")
    big.size = 200 * 1024 * 1024  # a 200 MB upload, announced by its size
    with pytest.raises(InvalidInput) as exc:
        site_import_check(actor=officer, upload=big)
    assert exc.value.code == "file_too_large"
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ["heritage-import-sample.csv", "heritage-import-sample.xlsx"])
def test_the_sample_files_in_docs_import_cleanly(name):
    from pathlib import Path

    from django.core.management import call_command

    from vhttdl.core.units.models import Organisation

    call_command("load_units", verbosity=0)
    officer = person(Role.DEPARTMENT_OFFICER, Organisation.objects.get(code="SO-01"))
    path = Path(__file__).resolve().parents[2] / "docs" / name
    report = sites_import(actor=officer, file=path.read_bytes(), filename=name, dry_run=False)
    assert report.committed and report.created == 3, (report.file_errors, errors_by_row(report))
    site = Site.objects.get(code="01-9001")
    assert site.commune.name == "Phường Hoàn Kiếm" and site.organisation.code == "SO-01"
    assert Site.objects.get(code="01-9002").location_approximate is True


def test_an_officer_cannot_unpublish_through_an_import_but_may_update_a_published_site(officer, tree):
    SiteFactory(code="81-0001", organisation=tree.dept_a, status=RecordStatus.PUBLISHED)
    header = ["code", "name", "province_code", "rank", "type", "status"]
    rows = [["81-0001", "Tên mới", "81", "quốc gia", "lịch sử", "nháp"]]
    report = sites_import(actor=officer, file=csv_bytes(rows, header=header), filename="u.csv", dry_run=False)
    assert not report.committed and {c for c, _ in errors_by_row(report)[2]} == {"status"}
    for status in ("", "công bố"):  # keeping it published is not publishing
        rows[0][-1] = status
        report = sites_import(actor=officer, file=csv_bytes(rows, header=header), filename="u.csv", dry_run=False)
        assert report.committed, errors_by_row(report)
    site = Site.objects.get(code="81-0001")
    assert site.name == "Tên mới" and site.status == RecordStatus.PUBLISHED


# --- limits and bad input (issue 8: D3, D4, D5, D6) and the stored batch --------------------------


def test_a_csv_field_over_the_csv_limit_is_a_clear_error_not_a_crash(officer):
    content = csv_bytes([good_row("81-0001"), good_row("81-0002", description="x" * 140_000)])
    report = sites_import(actor=officer, file=content, filename="dai.csv", dry_run=False)
    assert not report.committed and not Site.objects.exists()
    assert "Dòng 3" in report.file_errors[0] and "131.072" in report.file_errors[0]


def test_long_free_text_and_control_characters_are_refused_per_cell(officer):
    rows = [good_row("81-0001", description="y" * 20_001), good_row("81-0002", name="Đình\x00Mẫu"),
            good_row("81-0003", name_en="Temple\x1b[31m")]
    report = sites_import(actor=officer, file=csv_bytes(rows), filename="loi.csv", dry_run=False)
    bad = errors_by_row(report)
    assert not report.committed and not Site.objects.exists()
    assert [c for c, _m in bad[2]] == ["description"] and "20000" in next(iter(bad[2]))[1]
    assert [c for c, _m in bad[3]] == ["name"] and "U+0000" in next(iter(bad[3]))[1]
    assert [c for c, _m in bad[4]] == ["name_en"] and "U+001B" in next(iter(bad[4]))[1]


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(officer, settings, media_root):
    from openpyxl import Workbook

    from tests.core.files.helpers import with_extra_entry

    settings.FILES_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    book = Workbook()
    book.active.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    bomb = with_extra_entry(out.getvalue(), "xl/worksheets/sheet2.xml", 4 * 1024 * 1024)
    report = sites_import(actor=officer, file=bomb, filename="bom.xlsx", dry_run=True)
    assert "giải nén" in report.file_errors[0]
    with pytest.raises(InvalidInput) as exc:
        site_import_check(actor=officer, upload=SimpleUploadedFile("bom.xlsx", bomb))
    assert exc.value.code == "archive_too_large" and not ImportBatch.objects.exists()


def test_a_program_named_csv_is_refused(officer, media_root):
    with pytest.raises(InvalidInput) as exc:
        site_import_check(actor=officer, upload=SimpleUploadedFile("ds.csv", b"MZ\x90\x00\x03\x00\x00\x00" * 8))
    assert exc.value.code == "wrong_type"


def test_a_batch_is_written_once_and_checked_again_when_the_data_moved(officer, tree, media_root):
    from vhttdl.core.errors import Conflict

    first = site_import_check(actor=officer, upload=SimpleUploadedFile("a.csv", csv_bytes([good_row("81-0001")])))
    assert first.basis["sites"] == 0
    first = site_import_commit(actor=officer, batch=first)
    with pytest.raises(Conflict) as exc:
        site_import_commit(actor=officer, batch=first)
    assert exc.value.code == "already_committed"
    # Checked while 81-0002 was free; then another province's officer takes the code: re-checked, refused.
    second = site_import_check(actor=officer, upload=SimpleUploadedFile("b.csv", csv_bytes([good_row("81-0002")])))
    SiteFactory(code="81-0002", organisation=tree.dept_b, province=tree.area_b)
    second = site_import_commit(actor=officer, batch=second)
    assert second.status == ImportBatch.Status.REJECTED and second.report["rechecked"]
    assert second.report["rows"][0]["errors"][0]["column"] == "code"
    assert Site.objects.get(code="81-0002").organisation == tree.dept_b
