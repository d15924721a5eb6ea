"""Language choice: pages are Vietnamese unless the person chose English; the API follows Accept-Language.

Browsers on government desks often announce English by default; a Vietnamese platform should not
switch language behind an official's back. The switch in the header sets the language cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def request_language(request) -> str:
    """The language of the answer: the cookie's for pages (else Vietnamese); the API's from the cookie
    or Accept-Language, as Django's LocaleMiddleware decides."""
    if request.path.startswith("/api/"):
        return translation.get_language_from_request(request)
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in SUPPORTED else settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None


class ContentSecurityPolicyMiddleware:
    """Sends the strict Content-Security-Policy of settings.CONTENT_SECURITY_POLICY on every response.

    No inline script or style and no other origin: pages load their code and styles from our static
    files only, so an injected `<script>` or `style=` does nothing. The map's tile server, when
    MAP_TILE_URL is set, is the one other origin allowed, for images. A response that already carries
    the header (a view that knows better) keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy()
        return response


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    # "{s}" stands for the tile server's sub-domains (a, b, c): allow them all with a wildcard.
    host = parts.netloc.replace("a.", "*.", 1) if "{s}." in url else parts.netloc
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    """The header's value: the configured directives, plus the tile server's origin for images."""
    directives = {name: list(values) for name, values in settings.CONTENT_SECURITY_POLICY.items()}
    tile_origin = _origin(getattr(settings, "MAP_TILE_URL", "") or "")
    if tile_origin:
        directives.setdefault("img-src", ["'self'"]).append(tile_origin)
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())
