"""GET /api/v1/analytics, DHIS2-style: dimension=dx:..., dimension=pe:..., dimension=ou:...[, dimension=co]."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.analytics.selectors import (
    AS_REPORTED,
    TODAY,
    analytics_values,
    metadata_items,
    resolve_elements,
    resolve_periods,
    resolve_units,
)

router = Router(tags=["analytics"])


def format_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def parse_dimensions(values: list[str]) -> dict[str, list[str]]:
    dims: dict[str, list[str]] = {}
    for raw in values:
        name, _sep, items = raw.partition(":")
        name = name.strip()
        if not name:
            raise InvalidInput(_("Tham số dimension «%(value)s» không hợp lệ.") % {"value": raw}, code="bad_dimension")
        dims[name] = [i for i in items.split(";") if i.strip()] if items else []
    for required in ("dx", "pe", "ou"):
        if not dims.get(required):
            raise InvalidInput(
                _("Thiếu dimension=%(name)s:... (cần dx: chỉ tiêu, pe: kỳ, ou: đơn vị).") % {"name": required},
                code="missing_dimension",
            )
    return dims


@router.get("/analytics", summary="Aggregated values (DHIS2 analytics style)")
def analytics(request: HttpRequest):
    """`dimension=dx:DE1;DE2&dimension=pe:2024;2025Q1;LAST_12_MONTHS&dimension=ou:SO-08;LEVEL-2`.

    Optional: `dimension=co` (per category option combo) or `dimension=<CATEGORY>` (per option),
    `history=as_reported|today` (default today). Only approved or accepted reports count.
    """
    dims = parse_dimensions(request.GET.getlist("dimension"))
    history = request.GET.get("history", TODAY).strip().lower() or TODAY
    if history not in (AS_REPORTED, TODAY):
        raise InvalidInput(_("history phải là as_reported hoặc today."), code="bad_history")
    extra = [name for name in dims if name not in ("dx", "pe", "ou")]
    if len(extra) > 1:
        raise InvalidInput(_("Chỉ chọn được một chiều phân tổ."), code="bad_dimension")
    by = extra[0] if extra else None
    elements = resolve_elements(dims["dx"])
    periods = resolve_periods(dims["pe"])
    units = resolve_units(actor=request.auth, items=dims["ou"], periods=periods, view=history)
    cells = analytics_values(actor=request.auth, elements=elements, periods=periods, units=units, view=history,
                             by=by)
    headers = [{"name": "dx", "column": _("Chỉ tiêu")}, {"name": "pe", "column": _("Kỳ")},
               {"name": "ou", "column": _("Đơn vị")}]
    if by:
        headers.append({"name": by, "column": _("Phân tổ")})
    headers.append({"name": "value", "column": _("Giá trị")})
    rows = [[c.dx, c.pe, c.ou, *([c.co] if by else []), format_number(c.value)] for c in cells]
    language = (get_language() or "vi")[:2]
    return JsonResponse({
        "headers": headers,
        "rows": rows,
        "height": len(rows),
        "width": len(headers),
        "metaData": {
            "items": metadata_items(elements, periods, units, {c.co for c in cells}, language),
            "dimensions": {"dx": [e.code for e in elements], "pe": [p.code for p in periods],
                           "ou": [u.code for u in units]},
            "history": history,
        },
    }, json_dumps_params={"ensure_ascii": False})
