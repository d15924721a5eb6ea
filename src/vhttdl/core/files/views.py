"""Serving public media from the local disk when no web server or object storage does it.

On by default outside production (`SERVE_MEDIA`), so the demo shows its pictures with DEBUG off.
In production nginx serves MEDIA_ROOT (or the object storage serves its bucket), see
docs/deployment.md. Only the `default` storage is served, never the `private` one (import files).
Names are random and never reused, so responses may be cached for a long time; a media file never
runs as a page (nosniff, and a sandboxing Content-Security-Policy for anything that is not an image).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

_INLINE = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


@require_safe
def media(request, path: str):
    if not settings.SERVE_MEDIA:
        raise Http404
    try:
        response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except SuspiciousFileOperation as exc:  # a path that leaves MEDIA_ROOT ("../private/...")
        raise Http404 from exc
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=604800"
    content_type = response.get("Content-Type", "").split(";")[0]
    # Browsers' PDF viewers do not run in a sandboxed document; a PDF runs no page script either way.
    sandbox = "" if content_type == "application/pdf" else "; sandbox"
    response["Content-Security-Policy"] = f"default-src 'none'; img-src 'self'{sandbox}"
    if content_type not in _INLINE:
        response["Content-Disposition"] = "attachment"
    return response
