"""POST and GET /api/v1/dataValueSets in DHIS2 JSON, DHIS2 CSV and ADX XML (by Content-Type/Accept or ?format=)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from vhttdl.core.accounts.policy import can
from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.actions import ReportingAction
from vhttdl.reporting.exchange import formats, schemes
from vhttdl.reporting.exchange.schemas import IMPORT_BODY, ImportSummaryOut
from vhttdl.reporting.exchange.services import datavalues_export, datavalues_import

router = Router(tags=["dataValueSets"])

_QUERY = {"in": "query", "required": False}
EXPORT_DOC = {
    "parameters": [
        {**_QUERY, "name": "dataSet", "schema": {"type": "array", "items": {"type": "string"}},
         "style": "form", "explode": True},
        {**_QUERY, "name": "period", "schema": {"type": "array", "items": {"type": "string"}},
         "style": "form", "explode": True},
        {**_QUERY, "name": "orgUnit", "schema": {"type": "array", "items": {"type": "string"}},
         "style": "form", "explode": True},
        {**_QUERY, "name": "children", "schema": {"type": "boolean"}},
        {**_QUERY, "name": "startDate", "schema": {"type": "string", "format": "date"}},
        {**_QUERY, "name": "endDate", "schema": {"type": "string", "format": "date"}},
        {**_QUERY, "name": "format", "schema": {"enum": ["json", "csv", "adx"]}},
        {**_QUERY, "name": "idScheme", "schema": {"enum": ["UID", "CODE", "NAME"]}},
    ],
    "responses": {"200": {"description": "OK", "content": {
        "application/json": {"schema": {"type": "object", "properties": {"dataValues": {"type": "array"}}}},
        "application/csv": {"schema": {"type": "string"}},
        "application/adx+xml": {"schema": {"type": "string"}},
    }}},
}

MAX_BODY = 200 * 1024 * 1024


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes"}


def _date(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("%(name)s phải là ngày dạng YYYY-MM-DD.") % {"name": name}, code="bad_date") from None


@router.post("/dataValueSets", summary="Import data values (JSON, CSV or ADX)",
             response={200: ImportSummaryOut, 409: ImportSummaryOut}, openapi_extra=IMPORT_BODY)
def import_data_value_sets(request: HttpRequest):
    """Body: a DHIS2 dataValueSet (JSON), DHIS2 CSV, or ADX XML. `?dryRun=true` checks without writing.

    `idScheme` (and `dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme`,
    `dataSetIdScheme`): UID, CODE (default) or NAME. `importStrategy`: CREATE_AND_UPDATE (default),
    CREATE, UPDATE or DELETE. A value with `"deleted": true` is removed.

    Returns an import summary: status, importCount {imported, updated, ignored, deleted},
    conflicts [{object, value}] with reasons in the request's language (409 when nothing was written).
    """
    if not can(request.auth, ReportingAction.ENTER):
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu báo cáo."))
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:  # checked before reading the body, which Django would refuse without a reason
        raise InvalidInput(
            _("Tệp quá lớn (%(size)s MB, tối đa %(max)s MB); hãy chia thành nhiều lần gửi.")
            % {"size": length // (1024 * 1024), "max": limit // (1024 * 1024)},
            code="too_large",
        )
    id_schemes = schemes.schemes_from(request.GET)
    strategy = schemes.strategy_from(request.GET)
    kind = formats.negotiate(request.GET.get("format"), request.content_type)
    parser = {"json": formats.parse_json, "csv": formats.parse_csv, "adx": formats.parse_adx}[kind]
    values = parser(request.body)
    summary = datavalues_import(actor=request.auth, values=values, dry_run=_flag(request.GET.get("dryRun")),
                                schemes=id_schemes, strategy=strategy)
    body = summary.as_dict()
    return JsonResponse(body, status=409 if body["status"] == "ERROR" else 200,
                        json_dumps_params={"ensure_ascii": False})


@router.get("/dataValueSets", summary="Export data values (JSON, CSV or ADX)", openapi_extra=EXPORT_DOC)
def export_data_value_sets(request: HttpRequest):
    """Filters (repeatable): dataSet, period, orgUnit (codes or UIDs); `children=true`; startDate/endDate.

    `idScheme` (and the per-kind schemes) choose how the output names objects: CODE (default), UID
    or NAME. Only what the caller may view is returned.
    """
    if not can(request.auth, ReportingAction.VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu báo cáo."))
    kind = formats.negotiate(request.GET.get("format"), request.headers.get("Accept"))
    id_schemes = schemes.schemes_from(request.GET)
    rows = datavalues_export(
        actor=request.auth,
        data_sets=request.GET.getlist("dataSet") or None,
        periods=request.GET.getlist("period") or None,
        org_units=request.GET.getlist("orgUnit") or None,
        children=_flag(request.GET.get("children")),
        start_date=_date("startDate", request.GET.get("startDate")),
        end_date=_date("endDate", request.GET.get("endDate")),
    )
    rows = schemes.relabel(rows, id_schemes)
    if kind == "csv":
        return HttpResponse(formats.render_csv(rows), content_type="application/csv; charset=utf-8")
    if kind == "adx":
        return HttpResponse(formats.render_adx(rows), content_type="application/adx+xml; charset=utf-8")
    return HttpResponse(formats.render_json(rows), content_type="application/json; charset=utf-8")
