"""The API's request parser: every JSON body and query string is checked before any schema sees it.

See `core.text.inputs`: nesting deeper than 64 levels, NaN/Infinity and control characters in any
string (keys included) are refused with a 400 that names the field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from vhttdl.core.text.inputs import check_querydict, check_tree, loads


class SafeParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = loads(request.body)
        check_tree(data)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        check_querydict(data)  # uploaded files are not strings: their contents are the upload path's
        return super().parse_querydict(data, list_fields, request)
