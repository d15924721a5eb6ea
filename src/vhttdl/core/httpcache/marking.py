"""How a view says that its answer to anonymous visitors may be shared, and until what changes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpResponseBase

HEADER = "X-Vhttdl-Public-Page"  # read and removed by the middleware; never sent to the client


def mark_public(response: HttpResponseBase, *labels: str) -> HttpResponseBase:
    """Mark `response` as public until the content of one of the apps `labels` changes."""
    if not labels:
        raise ValueError("mark_public needs the labels of the apps whose content the page shows")
    response[HEADER] = ",".join(labels)
    return response


def public_page(*labels: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorator for a function view: its 200 answers are marked public (see `mark_public`)."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                mark_public(response, *labels)
            return response

        return wrapped

    return decorate
