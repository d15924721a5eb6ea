"""Writes to the search index. Every module feeds the index through these three functions.

`index_document` is an upsert of one object, meant to be called inside the caller's own
service transaction (two statements: the document row, and its new words into the vocabulary;
the full-text structures follow by trigger or generated column). `index_documents_bulk` is the
same for many objects at once (reindex, imports, benchmarks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.search.models import SearchDocument, SearchTerm
from vhttdl.core.text import index_words

# Long bodies are shown whole but only their beginning is indexed: enough for a description,
# and it keeps one huge document from dominating index size and write time.
BODY_INDEX_CHARS = 20_000
MAX_TERM_LENGTH = 64
BULK_BATCH = 500

_UPDATE_FIELDS = [
    "title", "body", "title_en", "body_en", "province_code", "url", "public", "extra",
    "title_folded", "title_keys", "body_folded", "body_keys", "indexed_at",
]


def _words(text: str) -> tuple[list[str], list[str]]:
    return index_words(text)


def build_document(*, kind: str, object_id: str | int, title: str, body: str = "", title_en: str = "",
                   body_en: str = "", province_code: str = "", url: str = "", public: bool = True,
                   extra: dict | None = None, now=None) -> tuple[SearchDocument, set[str]]:
    """The unsaved row for one object and the folded words it adds to the vocabulary."""
    kind = (kind or "").strip()
    object_id = str(object_id if object_id is not None else "").strip()
    if not kind or len(kind) > 64 or not object_id or len(object_id) > 64:
        raise InvalidInput(_("Loại và mã đối tượng của tài liệu tìm kiếm là bắt buộc (tối đa 64 ký tự)."),
                           code="search_bad_document")
    title = (title or "").strip() or object_id
    title_folded, title_keys = _words(f"{title} {title_en or ''}")
    body_text = f"{body or ''} {body_en or ''}"[:BODY_INDEX_CHARS]
    body_folded, body_keys = _words(body_text)
    document = SearchDocument(
        kind=kind, object_id=object_id, title=title, body=body or "", title_en=title_en or "",
        body_en=body_en or "", province_code=(province_code or "")[:16], url=(url or "")[:500],
        public=bool(public), extra=extra or {},
        title_folded=" ".join(title_folded), title_keys=" ".join(title_keys),
        body_folded=" ".join(body_folded), body_keys=" ".join(body_keys),
        indexed_at=now or timezone.now(),
    )
    vocabulary = {w for w in (*title_folded, *body_folded) if 2 <= len(w) <= MAX_TERM_LENGTH}
    return document, vocabulary


def _upsert(documents: list[SearchDocument]) -> None:
    SearchDocument.objects.bulk_create(
        documents, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=_UPDATE_FIELDS
    )


def _add_terms(words: Iterable[str]) -> None:
    words = sorted(set(words))
    for start in range(0, len(words), 2000):
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in words[start:start + 2000]], ignore_conflicts=True
        )


def index_document(*, kind: str, object_id: str | int, title: str, body: str = "", title_en: str = "",
                   body_en: str = "", province_code: str = "", url: str = "", public: bool = True,
                   extra: dict | None = None) -> None:
    """Add or replace the search document of one object (upsert on kind + object_id)."""
    document, vocabulary = build_document(
        kind=kind, object_id=object_id, title=title, body=body, title_en=title_en, body_en=body_en,
        province_code=province_code, url=url, public=public, extra=extra,
    )
    # No savepoint of our own: the caller's service transaction holds both statements.
    _upsert([document])
    if vocabulary:
        _add_terms(vocabulary)


def remove_document(*, kind: str, object_id: str | int) -> None:
    """Take one object out of the index; nothing happens when it was not indexed."""
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


def _batches(docs: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_documents_bulk(docs: Iterable[dict[str, Any]]) -> int:
    """Upsert many documents (each a dict of `index_document` keyword arguments); returns how many.

    Runs in one transaction: a bad document (no kind or id) stops the whole call and nothing is
    written. Within one call the last document for a (kind, object_id) wins.
    """
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for batch in _batches(docs, BULK_BATCH):
            rows: dict[tuple[str, str], SearchDocument] = {}
            vocabulary: set[str] = set()
            for doc in batch:
                document, words = build_document(**doc, now=now)
                rows[(document.kind, document.object_id)] = document
                vocabulary |= words
            _upsert(list(rows.values()))
            _add_terms(vocabulary)
            count += len(batch)
    return count


def rebuild_vocabulary() -> int:
    """Replace the vocabulary with the words of the documents indexed now; returns its size."""
    words: set[str] = set()
    with transaction.atomic():
        rows = SearchDocument.objects.values_list("title_folded", "body_folded")
        for title_folded, body_folded in rows.iterator(chunk_size=2000):
            words.update(w for w in f"{title_folded} {body_folded}".split() if 2 <= len(w) <= MAX_TERM_LENGTH)
        SearchTerm.objects.all().delete()
        _add_terms(words)
    return len(words)
