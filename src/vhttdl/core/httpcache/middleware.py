"""Serve public pages to anonymous visitors from the shared cache (see the package docstring)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import formatdate
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.urls import Resolver404, resolve

from vhttdl.core.httpcache.generations import CACHE_ALIAS, current_generations, generation_key
from vhttdl.core.httpcache.marking import HEADER
from vhttdl.core.ui.middleware import request_language

CACHE_CONTROL = "public, max-age=0, must-revalidate"
MAX_BODY_BYTES = 2 * 1024 * 1024  # larger answers are served, not stored
# Response headers not kept with a stored page (set again on every answer, or never shared).
_NOT_KEPT = frozenset({"content-length", "date", "set-cookie", "etag", "last-modified", "cache-control",
                       "x-cache", HEADER.lower()})


@dataclass(frozen=True)
class StoredPage:
    generations: tuple[int, ...]
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: str


# URL pattern → the labels its answers were marked with, learnt from the first answer in this
# process (a lookup needs the labels before the view runs; the view says them only in its answer).
_labels_of_route: dict[str, tuple[str, ...]] = {}


def forget_routes() -> None:
    """Forget what was learnt (tests start each from a fresh process's state)."""
    _labels_of_route.clear()
    _route_of_path.cache_clear()


@lru_cache(maxsize=8192)
def _route_of_path(path_info: str) -> str | None:
    """The URL pattern a path resolves to (the URLconf does not change in a running process)."""
    try:
        return resolve(path_info).route
    except Resolver404:
        return None


def _route(request: HttpRequest) -> str | None:
    return _route_of_path(request.path_info)


def _page_key(request: HttpRequest) -> str:
    """Host (checked against ALLOWED_HOSTS), path, query, the answer's language, and whether htmx asks."""
    partial = "1" if request.headers.get("HX-Request") else "0"
    raw = (f"{request.get_host()}|{request.path}?{request.META.get('QUERY_STRING', '')}|"
           f"{request_language(request)}|{partial}")
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _shareable_request(request: HttpRequest) -> bool:
    """An anonymous GET: no session, no bearer token."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    user = getattr(request, "user", None)
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and "private" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_BODY_BYTES
    )


def _answer(request: HttpRequest, page: StoredPage, *, source: str) -> HttpResponse:
    if request.headers.get("If-None-Match") == page.etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(page.body)
        for name, value in page.headers:
            response[name] = value
    response["ETag"] = page.etag
    response["Last-Modified"] = page.last_modified
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Cache"] = source
    return response


def _store(cache, key: str, response: HttpResponse, generations: tuple[int, ...]) -> StoredPage:
    body = response.content
    page = StoredPage(
        generations=generations,
        body=body,
        headers=tuple((name, value) for name, value in response.items() if name.lower() not in _NOT_KEPT),
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        last_modified=formatdate(usegmt=True),
    )
    cache.set(key, page, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return page


class PublicPageCacheMiddleware:
    """Placed right after WhiteNoise: a stored page is answered before sessions, language, CSRF,
    authentication and the rest run. A stored page keeps the headers those middlewares gave it
    (Content-Security-Policy, X-Frame-Options, Vary, Content-Language...); the security middleware,
    outside it, adds its own to every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _shareable_request(request):
            return self._without_mark(self.get_response(request))
        route = _route(request)
        labels = _labels_of_route.get(route) if route is not None else None
        if not labels:
            response = self.get_response(request)
            marked = response.get(HEADER)
            if marked and route is not None:
                _labels_of_route[route] = tuple(marked.split(","))  # stored from the next request on
            return self._without_mark(response)
        cache = caches[CACHE_ALIAS]
        key = _page_key(request)
        # One round trip: the stored page and the generations it must match.
        values = cache.get_many([key, *(generation_key(label) for label in labels)])
        generations = current_generations(cache, labels, values)
        stored = values.get(key)
        if isinstance(stored, StoredPage) and stored.generations == generations:
            return _answer(request, stored, source="hit")
        response = self.get_response(request)
        marked = response.has_header(HEADER)
        response = self._without_mark(response)
        if not marked or not isinstance(response, HttpResponse) or not _storable(request, response):
            return response
        # Generations were read before the view ran: a change made meanwhile makes this page stale.
        return _answer(request, _store(cache, key, response, generations), source="miss")

    @staticmethod
    def _without_mark(response: HttpResponseBase) -> HttpResponseBase:
        if response.has_header(HEADER):
            del response[HEADER]
        return response
