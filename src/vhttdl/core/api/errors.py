"""The one error shape of the API, its OpenAPI documents, and schema errors told in people's words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema


class ErrorOut(Schema):
    """Every error: a machine `code`, a message in the request's language, optional details."""

    code: str
    message: str
    details: Any = None


def error_statuses() -> dict[int, str]:
    """The statuses every operation may answer besides its own, with what each means."""
    return {
        400: _("Dữ liệu không hợp lệ (code: invalid, required, version_required, control_character, "
               "too_deep, ...)"),
        401: _("Chưa đăng nhập hoặc khóa API không hợp lệ (code: unauthenticated, token_invalid, "
               "token_expired, token_revoked)"),
        403: _("Không có quyền (code: forbidden, ...)"),
        404: _("Không tìm thấy (code: not_found)"),
        409: _("Xung đột: phiên bản đã cũ hoặc trạng thái đã đổi (code: stale_version, conflict, ...)"),
    }


def add_error_responses(schema: dict) -> dict:
    """Document the error statuses with ErrorOut on every operation of an OpenAPI document.

    A status an operation documents itself (e.g. dataValueSets' 409 import summary) is kept.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema()
    error_schema["properties"]["details"] = {"title": "Details"}  # any JSON value, null included
    components.setdefault("ErrorOut", error_schema)
    reference = {"$ref": "#/components/schemas/ErrorOut"}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                continue
            # Ninja keys its own responses by int, `openapi_extra` by str: one key per status (str, as
            # in JSON), the explicit document winning, so the JSON has no duplicate key.
            responses = {str(k): v for k, v in operation.get("responses", {}).items() if isinstance(k, int)}
            responses.update({k: v for k, v in operation.get("responses", {}).items() if isinstance(k, str)})
            operation["responses"] = responses
            for status, description in error_statuses().items():
                responses.setdefault(str(status), {
                    "description": description,
                    "content": {"application/json": {"schema": reference}},
                })
    return schema


_MESSAGES = {
    "missing": lambda c: _("thiếu (bắt buộc)"),
    "int_parsing": lambda c: _("phải là số nguyên"),
    "int_type": lambda c: _("phải là số nguyên"),
    "int_from_float": lambda c: _("phải là số nguyên"),
    "float_parsing": lambda c: _("phải là số"),
    "float_type": lambda c: _("phải là số"),
    "finite_number": lambda c: _("phải là số hữu hạn"),
    "bool_parsing": lambda c: _("phải là true hoặc false"),
    "bool_type": lambda c: _("phải là true hoặc false"),
    "string_type": lambda c: _("phải là chuỗi ký tự"),
    "list_type": lambda c: _("phải là một danh sách"),
    "dict_type": lambda c: _("phải là một đối tượng"),
    "model_type": lambda c: _("phải là một đối tượng"),
    "model_attributes_type": lambda c: _("phải là một đối tượng"),
    "date_parsing": lambda c: _("phải là ngày dạng YYYY-MM-DD"),
    "date_from_datetime_parsing": lambda c: _("phải là ngày dạng YYYY-MM-DD"),
    "date_type": lambda c: _("phải là ngày dạng YYYY-MM-DD"),
    "datetime_parsing": lambda c: _("phải là thời điểm dạng ISO 8601"),
    "datetime_from_date_parsing": lambda c: _("phải là thời điểm dạng ISO 8601"),
    "less_than_equal": lambda c: _("tối đa %(n)s") % {"n": c.get("le")},
    "less_than": lambda c: _("phải nhỏ hơn %(n)s") % {"n": c.get("lt")},
    "greater_than_equal": lambda c: _("tối thiểu %(n)s") % {"n": c.get("ge")},
    "greater_than": lambda c: _("phải lớn hơn %(n)s") % {"n": c.get("gt")},
    "string_too_long": lambda c: _("dài tối đa %(n)s ký tự") % {"n": c.get("max_length")},
    "string_too_short": lambda c: _("cần ít nhất %(n)s ký tự") % {"n": c.get("min_length")},
    "too_long": lambda c: _("tối đa %(n)s phần tử") % {"n": c.get("max_length")},
    "literal_error": lambda c: _("phải là một trong: %(values)s") % {"values": c.get("expected")},
    "enum": lambda c: _("phải là một trong: %(values)s") % {"values": c.get("expected")},
}


def _field(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path", "payload", "params")]
    return ".".join(parts) or _("nội dung")


def describe(errors: list[dict]) -> str:
    """Schema errors as one sentence: "Dữ liệu gửi lên không hợp lệ: limit: tối đa 500; ..."."""
    seen: list[str] = []
    for error in errors[:10]:
        explain = _MESSAGES.get(error.get("type", ""))
        text = explain(error.get("ctx") or {}) if explain else _("không hợp lệ")
        item = f"{_field(error.get('loc'))}: {text}"
        if item not in seen:
            seen.append(item)
    if not seen:
        return _("Dữ liệu gửi lên không hợp lệ.")
    return _("Dữ liệu gửi lên không hợp lệ: %(problems)s.") % {"problems": "; ".join(seen)}
