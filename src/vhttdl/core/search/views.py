"""The portal search page: results as you type (htmx), and a plain GET form without JavaScript."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import urlencode

from vhttdl.core.errors import DomainError
from vhttdl.core.httpcache.marking import mark_public
from vhttdl.core.modules import registry
from vhttdl.core.search.selectors import SearchResults, kind_label, search

PAGE_SIZE = 20


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value or default))
    except (TypeError, ValueError):
        return default


def page(request):
    q = request.GET.get("q", "")
    kinds_param = request.GET.get("kind", "")
    kinds = [k.strip() for k in kinds_param.split(",") if k.strip()]
    province = request.GET.get("province", "").strip()
    offset = _int(request.GET.get("offset"), 0)
    error = ""
    try:
        results = search(actor=request.user, q=q, kinds=kinds or None, province_code=province or None,
                         language=getattr(request, "LANGUAGE_CODE", "vi"), limit=PAGE_SIZE, offset=offset)
    except DomainError as exc:
        results, error = SearchResults(q=q.strip()[:200]), exc.message
    params = {"q": q, "kind": kinds_param, "province": province}
    base_query = urlencode({k: v for k, v in params.items() if v})
    context = {
        "results": results, "q": q, "kinds": kinds_param, "province": province, "error": error,
        "base_query": base_query, "kind_labels": [kind_label(k) for k in kinds],
    }
    template = "search/_results.html" if request.htmx else "search/page.html"
    response = render(request, template, context)
    if not error:
        mark_public(response, *registry.search_labels())  # shared with anonymous visitors (core.httpcache)
    return response
