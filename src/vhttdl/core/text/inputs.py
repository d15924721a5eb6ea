"""Checks on what people and programs send: nesting depth and control characters in every string.

- JSON nested deeper than `MAX_DEPTH` is refused (400 `too_deep`); so is a body whose nesting would
  exhaust the decoder, and the non-standard NaN/Infinity.
- Every string, keys included, of a JSON document or a query/form dictionary is refused when it holds
  a control character (400 `control_character`, naming the field).

The API's parser (`core.api.parsing`) and the HTML middleware (`core.text.middleware`) both use these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.text.safety import reject_control_characters

MAX_DEPTH = 64


def _no_constant(name: str) -> Any:
    raise ValueError(_("giá trị %(name)s không được phép trong JSON") % {"name": name})


def loads(body: bytes | str) -> Any:
    """JSON text → Python, or InvalidInput with a message for people."""
    try:
        return json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise too_deep() from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            _("Nội dung JSON không đọc được: %(error)s") % {"error": str(exc)[:200]}, code="bad_json"
        ) from None


def too_deep() -> InvalidInput:
    return InvalidInput(
        _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(max)s cấp).") % {"max": MAX_DEPTH}, code="too_deep",
        details={"max_depth": MAX_DEPTH},
    )


def check_tree(data: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting past `max_depth` and control characters in any string (keys too). Iterative."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            reject_control_characters(value, field=path or "body")
            continue
        items: Iterable[tuple[Any, Any]]
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > max_depth:
            raise too_deep()
        for key, item in items:
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                reject_control_characters(key, field=name)
            stack.append((item, depth + 1, name))


def check_querydict(data: MultiValueDict) -> None:
    for key in data:
        reject_control_characters(key, field=key)
        for value in data.getlist(key):
            reject_control_characters(value, field=key)
