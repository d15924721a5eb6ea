"""The search index: one row per searchable object of any module, fed through `services`.

The `*_folded` and `*_keys` columns are derived by `vhttdl.core.text.tokens` in Python (one
definition of folding for both databases). The full-text structures on top of them are created
per database by migrations 0002 and 0005: on SQLite two FTS5 tables (folded title and body; folded
title alone) kept in sync by triggers; on PostgreSQL a `search_lexemes` column written by the
services and a generated `tsvector` of the folded words and those lexemes with a GIN index (plus
the `vhttdl_unaccent` function and the unaccent extension).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    # Field order is column order: short columns used to filter and rank come first, long text
    # last (SQLite reads a row only up to the column it needs; long bodies overflow).
    kind = models.CharField(_("loại"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    province_code = models.CharField(_("mã tỉnh"), max_length=16, blank=True, default="")
    public = models.BooleanField(_("công khai"), default=True)
    indexed_at = models.DateTimeField(_("lập chỉ mục lúc"))
    # Derived, space-separated ASCII words: folded text and exact keys (see vhttdl.core.text).
    title_folded = models.TextField(blank=True, default="")
    title_keys = models.TextField(blank=True, default="")
    title = models.TextField(_("tiêu đề"))
    title_en = models.TextField(_("tiêu đề (tiếng Anh)"), blank=True, default="")
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True, default="")
    extra = models.JSONField(_("thông tin thêm"), default=dict, blank=True)
    body_folded = models.TextField(blank=True, default="")
    body_keys = models.TextField(blank=True, default="")
    body = models.TextField(_("nội dung"), blank=True, default="")
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True, default="")

    class Meta:
        db_table = "search_document"
        verbose_name = _("tài liệu tìm kiếm")
        verbose_name_plural = _("tài liệu tìm kiếm")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_one_per_object")
        ]
        indexes = [
            models.Index(fields=["province_code"], name="search_doc_province"),
            models.Index(fields=["indexed_at"], name="search_doc_indexed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """The vocabulary of folded words seen in the index; typo tolerance looks words up here.

    Grows as documents are indexed; `search_reindex` (without --kind) rebuilds it from scratch so
    words of deleted documents go away.
    """

    term = models.CharField(max_length=64, primary_key=True)

    class Meta:
        db_table = "search_term"
        verbose_name = _("từ vựng tìm kiếm")
        verbose_name_plural = _("từ vựng tìm kiếm")

    def __str__(self) -> str:
        return self.term
