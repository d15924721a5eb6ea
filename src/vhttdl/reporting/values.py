"""The one place for cell value rules. Web entry, the Excel upload and dataValueSets imports all use it.

`clean_value(element, raw)` turns what a person typed (or a file held) into the stored text and
the number analytics add up, or raises InvalidInput with a message that names the indicator.
An empty cell comes back as `CleanValue("", None)` (`is_empty`): callers delete the stored value.

Numbers may be written the Vietnamese way (1.234,5) or the machine way (1234.5): a single "." or
"," is the decimal mark; repeated ones, or one of each, are read as thousands + decimal marks.
Integer types accept thousands marks only ("1.234" is one thousand two hundred thirty-four).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.models import DataElement

MAX_TEXT_LENGTH = 1000  # DataValue.value's max_length
MAX_ABS_NUMBER = 1e15  # beyond any figure the sector reports (VND revenue of a year is ~1e15)

TRUE_WORDS = {"true", "1", "có", "co", "yes", "y", "x", "đúng", "dung"}
FALSE_WORDS = {"false", "0", "không", "khong", "no", "n", "sai"}

_GROUPED_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_GROUPED_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class CleanValue:
    value: str
    numeric: float | None

    @property
    def is_empty(self) -> bool:
        return self.value == ""


EMPTY = CleanValue("", None)


def _name(element: DataElement) -> str:
    return element.name or element.code


def _invalid(element: DataElement, raw: Any, message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, details={"data_element": element.code, "value": str(raw)[:100]})


def _to_decimal_text(text: str, *, integer: bool) -> str | None:
    """Normalise "1.234,5" / "1,234.5" / "1234.5" / "1 234" to "1234.5"; None when not a number."""
    text = text.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        head, _sep, tail = text.rpartition(decimal_mark)
        grouped = _GROUPED_DOTS if thousands == "." else _GROUPED_COMMAS
        if not (grouped.match(head) or re.match(r"^[+-]?\d{1,3}$", head)) or not tail.isdigit():
            return None
        text = head.replace(thousands, "") + "." + tail
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        grouped = _GROUPED_DOTS if has_dot else _GROUPED_COMMAS
        if text.count(mark) > 1 or integer:
            if not grouped.match(text):
                return None
            text = text.replace(mark, "")
        else:
            text = text.replace(",", ".")
    return text if _PLAIN_NUMBER.match(text) else None


def _number(element: DataElement, raw: Any, *, integer: bool) -> float:
    if isinstance(raw, bool):
        raise _invalid(
            element,
            raw,
            _("«%(name)s»: cần nhập số, không phải Có/Không.") % {"name": _name(element)},
            "not_a_number",
        )
    if isinstance(raw, (int, float, Decimal)):
        number = float(raw)
    else:
        text = _to_decimal_text(str(raw).strip(), integer=integer)
        try:
            number = float(Decimal(text)) if text is not None else None
        except (InvalidOperation, ValueError):
            number = None
        if number is None:
            raise _invalid(
                element,
                raw,
                _("«%(name)s»: «%(value)s» không phải là số.")
                % {"name": _name(element), "value": str(raw)[:50]},
                "not_a_number",
            )
    if math.isnan(number) or math.isinf(number) or abs(number) > MAX_ABS_NUMBER:
        raise _invalid(
            element,
            raw,
            _("«%(name)s»: số «%(value)s» quá lớn hoặc không hợp lệ.")
            % {"name": _name(element), "value": str(raw)[:50]},
            "number_out_of_range",
        )
    return number


def _format_number(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(repr(number)).normalize(), "f")


def clean_value(data_element: DataElement, raw: Any) -> CleanValue:
    """Check and normalise one cell for `data_element`. InvalidInput (400) with a clear message if bad."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return EMPTY
    kind = data_element.value_type
    types = DataElement.ValueType

    if kind == types.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise _invalid(
                data_element,
                raw,
                _("«%(name)s»: văn bản dài quá %(max)s ký tự.")
                % {"name": _name(data_element), "max": MAX_TEXT_LENGTH},
                "text_too_long",
            )
        return CleanValue(text, None)

    if kind == types.BOOLEAN:
        if isinstance(raw, bool):
            flag = raw
        else:
            word = str(raw).strip().lower()
            if word in TRUE_WORDS:
                flag = True
            elif word in FALSE_WORDS:
                flag = False
            else:
                raise _invalid(
                    data_element,
                    raw,
                    _("«%(name)s»: chỉ nhận Có hoặc Không (không nhận «%(value)s»).")
                    % {"name": _name(data_element), "value": str(raw)[:50]},
                    "not_a_boolean",
                )
        return CleanValue("true" if flag else "false", 1.0 if flag else 0.0)

    integer = kind in {types.INTEGER, types.NON_NEGATIVE_INTEGER}
    number = _number(data_element, raw, integer=integer)
    if integer and number != int(number):
        raise _invalid(
            data_element,
            raw,
            _("«%(name)s»: cần số nguyên, không nhận «%(value)s».")
            % {"name": _name(data_element), "value": str(raw)[:50]},
            "not_an_integer",
        )
    if kind == types.NON_NEGATIVE_INTEGER and number < 0:
        raise _invalid(
            data_element,
            raw,
            _("«%(name)s»: số lượng không được âm (%(value)s).")
            % {"name": _name(data_element), "value": str(raw)[:50]},
            "negative_value",
        )
    if kind == types.PERCENTAGE and not 0 <= number <= 100:
        raise _invalid(
            data_element,
            raw,
            _("«%(name)s»: tỷ lệ phần trăm phải từ 0 đến 100 (nhận %(value)s).")
            % {"name": _name(data_element), "value": str(raw)[:50]},
            "percentage_out_of_range",
        )
    number = float(int(number)) if integer else number
    return CleanValue(_format_number(number), number)


def display_value(data_element: DataElement, value: str) -> str:
    """How a stored value reads in a page: booleans as Có/Không, the rest as stored."""
    if data_element.value_type == DataElement.ValueType.BOOLEAN and value in {"true", "false"}:
        return _("Có") if value == "true" else _("Không")
    return value
