"""Refuse control characters at every HTML input: the path, every GET and POST value, JSON bodies.

The API checks its own bodies and query strings in its parser (`core.api.parsing`) and answers in
its error shape; this middleware covers everything else (forms, the grid's autosave, filters) and
the API's query strings read straight from `request.GET`. Uploaded files are not looked at here:
their contents are checked by the import that reads them.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.text.inputs import check_querydict, check_tree, loads
from vhttdl.core.text.safety import reject_control_characters

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _check(request: HttpRequest) -> None:
    reject_control_characters(request.path, field=_("Địa chỉ trang"))
    check_querydict(request.GET)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.content_type in FORM_TYPES:
        check_querydict(request.POST)
    elif request.content_type == "application/json" and not request.path.startswith("/api/"):
        if request.body:
            check_tree(loads(request.body))


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check(request)
        except InvalidInput as exc:
            return refusal(request, exc)
        except (RequestDataTooBig, TooManyFieldsSent, SuspiciousOperation, OSError):
            pass  # the view meets the same problem and answers it as Django does
        return self.get_response(request)


def refusal(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    body = {"code": exc.code, "message": exc.message, "details": exc.details}
    wants_json = (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "errors/400.html", {"message": exc.message}, status=400)
