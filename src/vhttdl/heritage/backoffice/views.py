"""The heritage back office: lists, create, edit, publish, media, revisions, import and export.

Views are thin: a selector reads (already scoped; another unit's record → 403), a service writes,
a DomainError becomes a message on the page (a stale version: 409 with the editor kept open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vhttdl.core.accounts.policy import can
from vhttdl.core.errors import Conflict, DomainError, InvalidInput
from vhttdl.heritage import forms, permissions, selectors, services
from vhttdl.heritage.actions import HeritageAction
from vhttdl.heritage.exchange import exports, imports
from vhttdl.heritage.exchange.columns import SITE_COLUMNS
from vhttdl.heritage.models import (
    REVISION_ACTIONS,
    Festival,
    IntangibleCategory,
    IntangibleHeritage,
    Media,
    Site,
    SiteType,
)

PAGE_SIZE = 25


@dataclass(frozen=True)
class Kind:
    """One kind of record in the back office (URL segment, model, form, list selector, labels)."""

    slug: str
    model: type
    form: type
    list_selector: Any
    title: str
    one: str


def _kinds() -> dict[str, Kind]:
    return {
        "sites": Kind("sites", Site, forms.SiteForm, selectors.site_list, _("Di tích, danh thắng"),
                      _("di tích")),
        "intangible": Kind("intangible", IntangibleHeritage, forms.IntangibleForm, selectors.intangible_list,
                           _("Di sản văn hóa phi vật thể"), _("di sản phi vật thể")),
        "festivals": Kind("festivals", Festival, forms.FestivalForm, selectors.festival_list, _("Lễ hội"),
                          _("lễ hội")),
    }


def _kind(slug: str) -> Kind:
    from django.http import Http404

    kind = _kinds().get(slug)
    if kind is None:
        raise Http404
    return kind


def _require_staff(request) -> None:
    if not (can(request.user, HeritageAction.VIEW) or can(request.user, HeritageAction.EDIT)):
        raise PermissionDenied(_("Bạn không có quyền truy cập khu vực quản lý di sản."))


def _detail_url(kind: Kind, record) -> str:
    return reverse("heritage:manage_detail", args=[kind.slug, record.pk])


# --- lists -------------------------------------------------------------------------------------


@login_required
def home(request):
    _require_staff(request)
    return redirect("heritage:manage_sites")


@login_required
def record_list(request, kind: str):
    _require_staff(request)
    kind = _kind(kind)
    filters = selectors.RecordFilters.from_query(request.GET)
    type_choices = SiteType.choices if kind.slug == "sites" else (
        IntangibleCategory.choices if kind.slug == "intangible" else None)
    filter_form = forms.FilterForm(request.GET or None, type_choices=type_choices, show_rank=kind.slug == "sites")
    if kind.slug == "intangible":
        filters.category = filters.site_type
        filters.site_type = ""
    queryset = kind.list_selector(actor=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "kind": kind, "page_obj": page, "records": page.object_list, "filter_form": filter_form,
        "query": query.urlencode(), "can_edit": can(request.user, HeritageAction.EDIT),
        "kinds": _kinds().values(),
    }
    template = "heritage/backoffice/_rows.html" if request.htmx else "heritage/backoffice/list.html"
    return render(request, template, context)


# --- create and edit ---------------------------------------------------------------------------


def _save(kind: Kind, form, actor, record=None):
    data = form.service_data()
    version = form.cleaned_data.get("version")
    if kind.slug == "sites":
        if record is None:
            return services.site_create(actor=actor, data=data)
        return services.site_update(actor=actor, site=record, data=data, version=version)
    if kind.slug == "intangible":
        provinces = list(form.cleaned_data.get("provinces") or [])
        data.pop("provinces", None)
        if record is None:
            return services.intangible_create(actor=actor, data=data, provinces=provinces)
        return services.intangible_update(actor=actor, item=record, data=data, version=version, provinces=provinces)
    if record is None:
        return services.festival_create(actor=actor, data=data)
    return services.festival_update(actor=actor, festival=record, data=data, version=version)


@login_required
def record_create(request, kind: str):
    kind = _kind(kind)
    if not can(request.user, HeritageAction.EDIT):
        raise PermissionDenied(_("Bạn không có quyền tạo bản ghi di sản."))
    form = kind.form(request.POST or None, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record = _save(kind, form, request.user)
        except InvalidInput as exc:
            form.add_service_errors(exc)
            status = 400
        else:
            messages.success(request, _("Đã tạo %(kind)s “%(name)s” (bản nháp).") % {"kind": kind.one,
                                                                                      "name": record.name})
            return redirect(_detail_url(kind, record))
    elif request.method == "POST":
        status = 400
    return render(request, "heritage/backoffice/form.html", {"kind": kind, "form": form, "record": None},
                  status=status)


@login_required
def record_edit(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.EDIT)
    form = kind.form(request.POST or None, instance=record, actor=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record = _save(kind, form, request.user, record)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        except InvalidInput as exc:
            form.add_service_errors(exc)
            status = 400
        else:
            messages.success(request, _("Đã lưu thay đổi (phiên bản %(v)s).") % {"v": record.version})
            return redirect(_detail_url(kind, record))
    elif request.method == "POST":
        status = 400
    return render(request, "heritage/backoffice/form.html", {"kind": kind, "form": form, "record": record},
                  status=status)


# --- one record --------------------------------------------------------------------------------


@login_required
def record_detail(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.VIEW)
    context = {
        "kind": kind, "record": record, "media": selectors.media_of(record),
        "revisions": selectors.revisions_of(record)[:5],
        "can_edit": permissions.can_edit(request.user, record),
        "can_publish": permissions.can_publish(request.user, record),
        "media_form": forms.MediaForm(), "public_url": services.public_url(record),
    }
    if kind.slug == "sites":
        context["translations"] = record.translations.all()
        context["decisions"] = record.decisions.all()
        context["translation_form"] = forms.TranslationForm(initial={"language": "en", "version": record.version,
                                                                     **_translation_initial(record, "en")})
        context["decision_form"] = forms.DecisionForm(initial={"version": record.version, "rank": record.rank})
    if kind.slug == "intangible":
        context["inscriptions"] = record.inscriptions.all()
        context["provinces"] = record.provinces.all()
        context["inscription_form"] = forms.InscriptionForm(initial={"version": record.version})
    return render(request, "heritage/backoffice/detail.html", context)


def _translation_initial(site: Site, language: str) -> dict[str, str]:
    tr = site.translations.filter(language=language).first()
    if tr is None:
        return {}
    return {"name": tr.name, "description": tr.description, "history": tr.history, "directions": tr.directions}


def _version(request) -> int | None:
    value = request.POST.get("version")
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _run(request, action, success: str) -> bool:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@require_POST
@login_required
def record_publish(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.PUBLISH)
    _run(request, lambda: services.record_publish(actor=request.user, record=record, version=_version(request)),
         _("Đã công bố “%(name)s”.") % {"name": record.name})
    return redirect(_detail_url(kind, record))


@require_POST
@login_required
def record_unpublish(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.PUBLISH)
    _run(request, lambda: services.record_unpublish(actor=request.user, record=record, version=_version(request)),
         _("Đã gỡ công bố “%(name)s”; bản ghi trở lại bản nháp.") % {"name": record.name})
    return redirect(_detail_url(kind, record))


@require_POST
@login_required
def record_delete(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.EDIT)
    name = record.name
    if _run(request, lambda: services.record_delete(actor=request.user, record=record, version=_version(request)),
            _("Đã xóa “%(name)s”.") % {"name": name}):
        return redirect(reverse("heritage:manage_list", args=[kind.slug]))
    return redirect(_detail_url(kind, record))


@require_POST
@login_required
def site_translation(request, pk: int):
    site = selectors.get_site_for_actor(request.user, pk, HeritageAction.EDIT)
    form = forms.TranslationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bản dịch chưa hợp lệ."))
    else:
        data = form.cleaned_data
        _run(request, lambda: services.site_translation_set(
            actor=request.user, site=site, language=data["language"], name=data["name"],
            description=data["description"], history=data["history"], directions=data["directions"],
            version=data.get("version")), _("Đã lưu bản dịch."))
    return redirect(_detail_url(_kind("sites"), site))


@require_POST
@login_required
def site_decision(request, pk: int):
    site = selectors.get_site_for_actor(request.user, pk, HeritageAction.EDIT)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Quyết định xếp hạng chưa hợp lệ: cần số quyết định và cấp xếp hạng."))
    else:
        data = form.cleaned_data
        _run(request, lambda: services.ranking_decision_add(
            actor=request.user, site=site, number=data["number"], decided_on=data.get("decided_on"),
            issuer=data.get("issuer") or "", rank=data["rank"], version=data.get("version")),
            _("Đã thêm quyết định xếp hạng."))
    return redirect(_detail_url(_kind("sites"), site))


@require_POST
@login_required
def site_decision_remove(request, pk: int, decision_pk: int):
    site = selectors.get_site_for_actor(request.user, pk, HeritageAction.EDIT)
    decision = site.decisions.filter(pk=decision_pk).first()
    if decision is None:  # removed meanwhile (a second click, another tab): nothing to do
        messages.error(request, _("Quyết định này không còn trong hồ sơ (có thể vừa được gỡ)."))
    else:
        _run(request, lambda: services.ranking_decision_remove(actor=request.user, decision=decision),
             _("Đã gỡ quyết định xếp hạng %(number)s.") % {"number": decision.number})
    return redirect(_detail_url(_kind("sites"), site))


@require_POST
@login_required
def intangible_inscription(request, pk: int):
    item = selectors.get_intangible_for_actor(request.user, pk, HeritageAction.EDIT)
    form = forms.InscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Quyết định ghi danh chưa hợp lệ."))
    else:
        data = form.cleaned_data
        _run(request, lambda: services.inscription_add(
            actor=request.user, item=item, listing=data["listing"], number=data.get("number") or "",
            decided_on=data.get("decided_on"), issuer=data.get("issuer") or "", version=data.get("version")),
            _("Đã thêm quyết định ghi danh."))
    return redirect(_detail_url(_kind("intangible"), item))


# --- media -------------------------------------------------------------------------------------


@login_required
def media_add(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.EDIT)
    form = forms.MediaForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            common = {"caption": data.get("caption") or "", "caption_en": data.get("caption_en") or "",
                      "credit": data.get("credit") or "", "sort_order": data.get("sort_order") or 0}
            try:
                if data["kind"] == Media.Kind.IMAGE:
                    services.media_add_image(actor=request.user, record=record, upload=data["file"], **common)
                elif data["kind"] == Media.Kind.DOCUMENT:
                    services.media_add_document(actor=request.user, record=record, upload=data["file"], **common)
                else:
                    services.media_add_link(actor=request.user, record=record, kind=data["kind"], url=data["url"],
                                            **common)
            except InvalidInput as exc:
                form.add_error("url" if data["kind"] in (Media.Kind.VIDEO, Media.Kind.VIRTUAL_TOUR) else "file",
                               exc.message)
                status = 400
            else:
                messages.success(request, _("Đã thêm tư liệu."))
                return redirect(_detail_url(kind, record))
        else:
            status = 400
    return render(request, "heritage/backoffice/media_form.html", {"kind": kind, "record": record, "form": form},
                  status=status)


@require_POST
@login_required
def media_delete(request, pk: int):
    item = selectors.get_media_for_actor(request.user, pk, HeritageAction.EDIT)
    record = item.record
    kind = next(k for k in _kinds().values() if isinstance(record, k.model))
    _run(request, lambda: services.media_delete(actor=request.user, item=item), _("Đã xóa tư liệu."))
    return redirect(_detail_url(kind, record))


# --- revisions ---------------------------------------------------------------------------------


@login_required
def record_revisions(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_record_for_actor(request.user, kind.model, pk, HeritageAction.VIEW)
    page = Paginator(selectors.revisions_of(record), 20).get_page(request.GET.get("page"))
    rows = [{"revision": r, "label": REVISION_ACTIONS.get(r.action, r.action),
             "changes": [(name, _short(v[0]), _short(v[1])) for name, v in r.changes.items()]}
            for r in page.object_list]
    return render(request, "heritage/backoffice/revisions.html",
                  {"kind": kind, "record": record, "page_obj": page, "rows": rows})


def _short(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "…"


# --- import and export -------------------------------------------------------------------------


@login_required
def import_upload(request):
    if not can(request.user, HeritageAction.EDIT):
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu di sản."))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = imports.site_import_check(actor=request.user, upload=form.cleaned_data["file"])
            except InvalidInput as exc:
                form.add_error("file", exc.message)
                status = 400
            else:
                return redirect("heritage:manage_import_report", pk=item.pk)
        else:
            status = 400
    recent = imports.recent_site_imports(request.user)
    return render(request, "heritage/backoffice/import.html", {"form": form, "recent": recent}, status=status)


def _import_report_page(request, item, *, status: int = 200, error: str = ""):
    report = item.report or {}
    return render(request, "heritage/backoffice/import_report.html", {
        "item": item, "report": report, "bad_rows": [r for r in report.get("rows", []) if r.get("errors")],
        "ok_rows": [r for r in report.get("rows", []) if not r.get("errors")],
        "columns": {c.name: c.label for c in SITE_COLUMNS}, "error": error,
    }, status=status)


@login_required
def import_report(request, pk: int):
    item = imports.site_import_for_actor(request.user, pk)
    return _import_report_page(request, item)


@require_POST
@login_required
def import_commit(request, pk: int):
    item = imports.site_import_for_actor(request.user, pk)
    try:
        item = imports.site_import_commit(actor=request.user, batch=item)
    except DomainError as exc:
        item.refresh_from_db()
        return _import_report_page(request, item, status=exc.status, error=exc.message)
    else:
        if item.status == item.Status.COMMITTED:
            report = item.report
            messages.success(request, _("Đã nhập %(total)s dòng: %(created)s di tích mới, %(updated)s di tích cập "
                                        "nhật.") % {"total": report.get("total", 0),
                                                     "created": report.get("created", 0),
                                                     "updated": report.get("updated", 0)})
            return redirect("heritage:manage_sites")
        messages.error(request, _("Dữ liệu đã thay đổi từ lần kiểm tra: tệp còn lỗi, chưa nhập dòng nào."))
    return redirect("heritage:manage_import_report", pk=item.pk)


@login_required
def sample_file(request):
    """The sample import file (CSV) with two example rows, for people to start from."""
    from vhttdl.heritage.exchange.columns import COLUMN_NAMES

    rows = [
        ["01-9001", "Đình làng Mẫu", "01", "", "cấp tỉnh", "kiến trúc nghệ thuật", "21.0285", "105.8542",
         "Số 1 phố Mẫu", "", "", "nháp", "", "123/QĐ-UBND", "15/03/2010", "UBND thành phố Hà Nội",
         "Đình thờ Thành hoàng làng.", "", "", "Mau Village communal house", ""],
    ]
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="heritage-import-sample.csv"'
    return response


@login_required
def sites_export(request, fmt: str):
    _require_staff(request)
    filters = selectors.RecordFilters.from_query(request.GET)
    queryset = selectors.site_list(actor=request.user, filters=filters)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="di-tich-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(exports.export_xlsx(queryset),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="di-tich-{stamp}.xlsx"'
        return response
    data = exports.export_geojson(queryset)
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="di-tich-{stamp}.geojson"'
    return response
