"""Writing to the search index: upsert, removal, bulk, vocabulary, reindex command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.search.factories import doc
from vhttdl.core.errors import InvalidInput
from vhttdl.core.search.models import SearchDocument, SearchTerm
from vhttdl.core.search.selectors import search
from vhttdl.core.search.services import index_document, index_documents_bulk, remove_document
from vhttdl.core.text import fold

pytestmark = pytest.mark.django_db


def titles(q: str, **kwargs) -> list[str]:
    return [hit.title for hit in search(actor=None, q=q, **kwargs).hits]


def test_index_document_stores_folded_words_and_exact_keys():
    doc("Đền Hùng", "Khu di tích ở Phú Thọ", object_id=7, province_code="25", extra={"rank": "special"})
    row = SearchDocument.objects.get(kind="heritage.site", object_id="7")
    assert row.title_folded == "den hung"
    assert row.title_keys == "d9e26n hu2ng"
    assert row.body_folded == "khu di tich o phu tho hoa binh vinh phuc"  # and the province's former names
    assert row.province_code == "25" and row.extra == {"rank": "special"} and row.public
    assert {"den", "hung", "khu", "tich", "phu"} <= set(SearchTerm.objects.values_list("term", flat=True))


def test_index_document_is_an_upsert_and_the_full_text_follows(django_assert_max_num_queries):
    doc("Chùa Cũ", object_id=1)
    with django_assert_max_num_queries(2):
        index_document(kind="heritage.site", object_id=1, title="Chùa Mới", url="/x/")
    assert SearchDocument.objects.count() == 1
    assert titles("chua moi") == ["Chùa Mới"]
    assert search(actor=None, q="chua cu").left_out == ["cu"]  # no document has both words any more


def test_reindexing_replaces_the_words_of_title_and_body():
    doc("Đền Hùng", "Thờ các vua Hùng.", object_id=4)
    doc("Đền Hùng", "Lễ hội mùng mười tháng ba.", object_id=4)  # same title, new body
    assert titles("le hoi mung") == ["Đền Hùng"]
    assert titles("thờ các vua") == [] and titles("den hung") == ["Đền Hùng"]
    doc("Chùa Keo", "Lễ hội mùng mười tháng ba.", object_id=4)  # new title, same body
    assert titles("den hung") == [] and titles("chua ke") == ["Chùa Keo"]


def test_bulk_reindexing_replaces_documents_written_in_one_statement():
    # Enough documents for the COPY path on PostgreSQL (services.COPY_FROM).
    docs = [{"kind": "heritage.site", "object_id": i, "title": f"Đình Bảng {i}", "body": "Bắc Ninh",
             "province_code": "24"} for i in range(40)]
    index_documents_bulk(docs)
    index_documents_bulk([{**d, "title": f"Chùa Dâu {d['object_id']}", "province_code": "27"} for d in docs])
    assert SearchDocument.objects.count() == 40
    assert search(actor=None, q="dinh bang").total == 0
    assert search(actor=None, q="chua dau", province_code="27").total == 40
    assert search(actor=None, q="chua dau", province_code="24").total == 0
    assert titles("chua dau 39") == ["Chùa Dâu 39"]


def test_the_migration_writes_the_same_postgres_words_as_the_services():
    import importlib

    from vhttdl.core.search.services import postgres_lexemes

    migration = importlib.import_module("vhttdl.core.search.migrations.0005_leaner_fulltext")
    pairs = importlib.import_module("vhttdl.core.search.migrations.0006_title_phrases")
    title, body = "den hung a 1049", "khu di tich o phu tho den"
    expected = postgres_lexemes(title.split(), body.split(), kind="heritage.site", province_code="25")
    written = set(migration._lexemes("heritage.site", "25", title, body).split()) | set(pairs._pairs(title))
    assert written == set(expected.split())
    assert {"^den_hung", "^hung_a", "^a_1049"} <= written
    assert {"~de", "~den", "^den", "^~hu", "~10", "=heritage.site", "@25"} <= set(expected.split())
    assert "~a" not in expected.split()  # one letter is not a beginning
    assert "@x y" not in postgres_lexemes([], [], province_code="x y")  # not a safe tag


def test_remove_document_takes_it_out_of_the_results():
    doc("Đền Hùng", object_id=3)
    doc("Đền Hùng", object_id=3, kind="heritage.festival")
    remove_document(kind="heritage.site", object_id=3)
    remove_document(kind="heritage.site", object_id=999)  # not indexed: nothing happens
    assert [h.kind for h in search(actor=None, q="den hung").hits] == ["heritage.festival"]


def test_empty_title_falls_back_to_the_object_id():
    doc("", object_id="DT-01")
    assert SearchDocument.objects.get().title == "DT-01"


@pytest.mark.parametrize("kind, object_id", [("", 1), ("heritage.site", ""), ("x" * 65, 1), ("k", "9" * 65)])
def test_a_document_needs_a_kind_and_an_id(kind, object_id):
    with pytest.raises(InvalidInput):
        index_document(kind=kind, object_id=object_id, title="Đền")


def test_bulk_indexes_many_and_counts_them():
    docs = [{"kind": "heritage.site", "object_id": i, "title": f"Di tích số {i}", "province_code": "01"}
            for i in range(1200)]
    assert index_documents_bulk(docs) == 1200
    assert SearchDocument.objects.count() == 1200
    assert titles("di tich so 1199") == ["Di tích số 1199"]
    broad = search(actor=None, q="di tich so")  # more matches than are ordered exhaustively
    assert not broad.total_exact and broad.total >= 500
    # a second run replaces, it does not duplicate
    assert index_documents_bulk(docs[:10]) == 10
    assert SearchDocument.objects.count() == 1200


def test_bulk_writes_nothing_when_one_document_is_bad():
    docs = [{"kind": "heritage.site", "object_id": 1, "title": "Đền Hùng"},
            {"kind": "", "object_id": 2, "title": "Chùa"}]
    with pytest.raises(InvalidInput):
        index_documents_bulk(docs)
    assert SearchDocument.objects.count() == 0


def test_long_bodies_are_kept_whole_but_indexed_in_part():
    body = "mở đầu " + "chữ " * 10_000 + "cuối"
    doc("Văn bản dài", body)
    row = SearchDocument.objects.get()
    assert row.body == body
    assert "cuoi" not in row.body_folded and titles("mo dau") == ["Văn bản dài"]


@pytest.fixture
def fake_providers(monkeypatch):
    def heritage():
        yield {"kind": "heritage.site", "object_id": 1, "title": "Đền Hùng"}
        yield {"kind": "heritage.festival", "object_id": 1, "title": "Lễ hội Đền Hùng"}

    from vhttdl.core.modules import registry

    # What the installed modules' module.py files would name as their providers.
    monkeypatch.setattr(registry, "search_providers", lambda: [("fake", heritage)])


def test_reindex_rebuilds_from_providers_and_removes_stale(fake_providers):
    doc("Chùa đã xóa", object_id=99)  # a heritage.site no provider gives any more
    doc("Tin tức", kind="news.article", object_id=5)  # another kind: left alone
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    text = out.getvalue()
    assert "fake.heritage: 2 documents" in text
    assert "indexed 2 documents, removed 1 stale" in text
    assert sorted(SearchDocument.objects.values_list("kind", "object_id")) == [
        ("heritage.festival", "1"), ("heritage.site", "1"), ("news.article", "5")]
    assert not SearchTerm.objects.filter(term="xoa").exists()  # vocabulary rebuilt


def test_reindex_one_kind(fake_providers):
    out = io.StringIO()
    call_command("search_reindex", "--kind", "heritage.festival", stdout=out)
    assert list(SearchDocument.objects.values_list("kind", flat=True)) == ["heritage.festival"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_unaccent_wrapper_agrees_with_fold():
    samples = ["Đền Hùng", "Chùa Một Cột", "Hồ Chí Minh", "ộ ế ố ẫ ỹ ự ằ ẵ ặ ữ ỡ ợ Ư Ơ Ă Â Ê Ô", "Đắk Lắk"]
    with connection.cursor() as cursor:
        for sample in samples:
            cursor.execute("SELECT lower(vhttdl_unaccent(%s))", [sample])
            assert cursor.fetchone()[0] == fold(sample)
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'vhttdl_unaccent'")
        assert cursor.fetchone()[0] == "i"  # IMMUTABLE: usable in expression indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_scans_start_at_the_table_start():
    """A broad query reads its first matches in table order: with synchronized scans the same query
    could find other candidates from one run to the next (settings turn them off per connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"
