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
from vhttdl.reporting.exchange import formats
from vhttdl.reporting.exchange.services import datavalues_export, datavalues_import

router = Router(tags=["dataValueSets"])

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


@router.post("/dataValueSets", summary="Import data values (JSON, CSV or ADX)")
def import_data_value_sets(request: HttpRequest):
    """Body: a DHIS2 dataValueSet (JSON), DHIS2 CSV, or ADX XML. `?dryRun=true` checks without writing.

    Returns an import summary: status, importCount {imported, updated, ignored, deleted},
    conflicts [{object, value}] with reasons in the request's language.
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
    kind = formats.negotiate(request.GET.get("format"), request.content_type)
    parser = {"json": formats.parse_json, "csv": formats.parse_csv, "adx": formats.parse_adx}[kind]
    values = parser(request.body)
    summary = datavalues_import(actor=request.auth, values=values, dry_run=_flag(request.GET.get("dryRun")))
    body = summary.as_dict()
    return JsonResponse(body, status=409 if body["status"] == "ERROR" else 200,
                        json_dumps_params={"ensure_ascii": False})


@router.get("/dataValueSets", summary="Export data values (JSON, CSV or ADX)")
def export_data_value_sets(request: HttpRequest):
    """Filters (repeatable): dataSet, period, orgUnit; `children=true`; startDate/endDate.

    Only what the caller may view is returned.
    """
    if not can(request.auth, ReportingAction.VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu báo cáo."))
    kind = formats.negotiate(request.GET.get("format"), request.headers.get("Accept"))
    rows = datavalues_export(
        actor=request.auth,
        data_sets=request.GET.getlist("dataSet") or None,
        periods=request.GET.getlist("period") or None,
        org_units=request.GET.getlist("orgUnit") or None,
        children=_flag(request.GET.get("children")),
        start_date=_date("startDate", request.GET.get("startDate")),
        end_date=_date("endDate", request.GET.get("endDate")),
    )
    if kind == "csv":
        return HttpResponse(formats.render_csv(rows), content_type="application/csv; charset=utf-8")
    if kind == "adx":
        return HttpResponse(formats.render_adx(rows), content_type="application/adx+xml; charset=utf-8")
    return HttpResponse(formats.render_json(rows), content_type="application/json; charset=utf-8")
