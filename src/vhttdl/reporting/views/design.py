"""Designer pages: officials define indicators, disaggregations, forms, layouts and rules without code."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vhttdl.core.errors import DomainError, InvalidInput
from vhttdl.reporting import permissions, selectors
from vhttdl.reporting.forms import (
    CategoryForm,
    ComboForm,
    DataElementForm,
    LayoutForm,
    ReportFormForm,
    RuleForm,
    layout_as_text,
)
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    DataElement,
    FormVersion,
    ReportForm,
    ValidationRule,
)
from vhttdl.reporting.presenters import build_grid
from vhttdl.reporting.services import metadata


def _require_design(request) -> None:
    if not permissions.can_design(request.user):
        raise PermissionDenied(_("Bạn không có quyền thiết kế biểu mẫu và chỉ tiêu."))


def _save(request, form, action, template: str, context: dict, success_url):
    """Run a service for a valid form; show its DomainError on the page; nothing half-written."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(success_url() if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@login_required
def design_home(request):
    _require_design(request)
    return render(
        request,
        "reporting/design/home.html",
        {
            "report_forms": ReportForm.objects.prefetch_related("versions").order_by("code"),
            "elements": DataElement.objects.select_related("category_combo").order_by("code"),
            "categories": Category.objects.prefetch_related("options").order_by("code"),
            "combos": CategoryCombo.objects.prefetch_related("categories", "option_combos").order_by("code"),
        },
    )


@login_required
def element_edit(request, pk: int | None = None):
    _require_design(request)
    element = get_object_or_404(DataElement, pk=pk) if pk else None
    initial = {}
    if element:
        initial = {f: getattr(element, f) for f in DataElementForm.base_fields if f != "category_combo"}
        initial["category_combo"] = element.category_combo_id
    form = DataElementForm(request.POST or None, initial=initial)

    def action(data):
        metadata.data_element_save(actor=request.user, element=element, **data)

    return _save(
        request,
        form,
        action,
        "reporting/design/edit.html",
        {"heading": _("Sửa chỉ tiêu") if element else _("Thêm chỉ tiêu")},
        "reporting:design",
    )


@login_required
def category_edit(request, pk: int | None = None):
    _require_design(request)
    category = get_object_or_404(Category, pk=pk) if pk else None
    initial = {}
    if category:
        initial = {
            "code": category.code,
            "name": category.name,
            "name_en": category.name_en,
            "options": "\n".join(f"{o.code} | {o.name} | {o.name_en}" for o in category.options.all()),
        }
    form = CategoryForm(request.POST or None, initial=initial)

    def action(data):
        metadata.category_save(
            actor=request.user,
            category=category,
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            options=data["options"],
        )

    return _save(
        request,
        form,
        action,
        "reporting/design/edit.html",
        {"heading": _("Sửa phân tổ") if category else _("Thêm phân tổ")},
        "reporting:design",
    )


@login_required
def combo_edit(request, pk: int | None = None):
    _require_design(request)
    combo = get_object_or_404(CategoryCombo, pk=pk) if pk else None
    initial = {}
    if combo:
        initial = {
            "code": combo.code,
            "name": combo.name,
            "name_en": combo.name_en,
            "categories": list(combo.categories.values_list("pk", flat=True)),
        }
    form = ComboForm(request.POST or None, initial=initial)

    def action(data):
        metadata.combo_save(
            actor=request.user,
            combo=combo,
            code=data["code"],
            name=data["name"],
            name_en=data["name_en"],
            categories=list(data["categories"]),
        )

    return _save(
        request,
        form,
        action,
        "reporting/design/edit.html",
        {
            "heading": _("Sửa tổ hợp phân tổ") if combo else _("Thêm tổ hợp phân tổ"),
            "hint": _("Các tổ hợp giá trị (cột nhập) được sinh tự động từ các phân tổ đã chọn."),
        },
        "reporting:design",
    )


@login_required
def form_edit(request, pk: int | None = None):
    _require_design(request)
    report_form = get_object_or_404(ReportForm, pk=pk) if pk else None
    initial = {"deadline_day": 20, "expiry_days": 0, "is_active": True, "submitter_kinds": ["department"]}
    if report_form:
        initial = {f: getattr(report_form, f) for f in ReportFormForm.base_fields if f != "excluded_units"}
        initial["excluded_units"] = ", ".join(report_form.excluded_units.values_list("code", flat=True))
    form = ReportFormForm(request.POST or None, initial=initial)
    saved: dict = {}

    def action(data):
        saved["form"] = metadata.form_save(actor=request.user, form=report_form, **data)

    return _save(
        request,
        form,
        action,
        "reporting/design/edit.html",
        {"heading": _("Sửa biểu mẫu") if report_form else _("Thêm biểu mẫu")},
        lambda: reverse("reporting:design_form", args=[saved["form"].pk]),
    )


def _builder_texts() -> dict[str, str]:
    """What the layout builder's script says, in the page's language."""
    return {
        "add_section": _("Thêm mục"),
        "new_section": _("Mục mới"),
        "section": _("Mục %(n)s"),
        "section_title": _("Tên mục"),
        "section_title_en": _("Tên tiếng Anh"),
        "section_up": _("Đưa mục lên"),
        "section_down": _("Đưa mục xuống"),
        "section_remove": _("Xóa mục"),
        "section_remove_confirm": _("Xóa mục «%(title)s» cùng %(n)s chỉ tiêu trong mục?"),
        "row_up": _("Lên"),
        "row_down": _("Xuống"),
        "row_remove": _("Bỏ"),
        "row_up_label": _("Chuyển lên: %(name)s"),
        "row_down_label": _("Chuyển xuống: %(name)s"),
        "row_remove_label": _("Bỏ khỏi biểu: %(name)s"),
        "row_label": _("Nhãn riêng (không bắt buộc)"),
        "row_label_en": _("Nhãn riêng tiếng Anh"),
        "row_labels": _("Nhãn riêng"),
        "drag": _("Kéo để đổi chỗ"),
        "add_element": _("Thêm chỉ tiêu"),
        "add_element_to": _("Thêm chỉ tiêu vào mục «%(title)s»"),
        "search": _("Tìm chỉ tiêu theo mã hoặc tên"),
        "results": _("%(n)s chỉ tiêu phù hợp"),
        "results_more": _("%(n)s chỉ tiêu phù hợp; gõ thêm để thu hẹp (hiện %(shown)s đầu tiên)"),
        "in_form": _("đã có trong biểu"),
        "close": _("Đóng"),
        "empty_section": _("Mục chưa có chỉ tiêu. Thêm chỉ tiêu hoặc kéo chỉ tiêu vào đây."),
        "no_sections": _("Chưa có mục nào. Bấm «Thêm mục» để bắt đầu."),
        "unit": _("Đơn vị tính"),
        "columns": _("Cột"),
        "unknown_element": _("Không có chỉ tiêu mã %(code)s."),
        "title_required": _("Mục thứ %(n)s chưa có tên."),
        "empty_layout": _("Biểu cần ít nhất một chỉ tiêu."),
        "fix_errors": _("Chưa lưu: hãy sửa các lỗi được đánh dấu."),
        "added": _("Đã thêm %(name)s vào mục «%(title)s»."),
        "moved": _("Đã chuyển %(name)s tới vị trí %(pos)s của mục «%(title)s»."),
        "removed": _("Đã bỏ %(name)s khỏi biểu."),
        "section_added": _("Đã thêm mục mới."),
        "section_moved": _("Đã chuyển mục «%(title)s» tới vị trí %(pos)s."),
        "section_removed": _("Đã xóa mục «%(title)s»."),
        "unsaved": _("Có thay đổi chưa lưu."),
        "leave": _("Bố cục có thay đổi chưa lưu. Rời trang?"),
    }


def _layout_saved(request, current: FormVersion | None, version: FormVersion) -> None:
    if current is not None and version.pk != current.pk:
        messages.info(
            request,
            _(
                "Phiên bản đang áp dụng đã có báo cáo, nên bố cục được lưu thành phiên bản "
                "nháp %(n)s; hãy phát hành khi sẵn sàng."
            )
            % {"n": version.number},
        )
    else:
        messages.success(request, _("Đã lưu bố cục (phiên bản %(n)s).") % {"n": version.number})


def _posted_layout(raw: str) -> dict:
    """The builder's JSON; InvalidInput (not a 500) for anything that is not a JSON object."""
    try:
        layout = json.loads(raw)
    except ValueError:
        raise InvalidInput(_("Bố cục gửi lên không đọc được; hãy tải lại trang."), code="invalid_layout") from None
    if not isinstance(layout, dict):
        raise InvalidInput(_("Bố cục phải có danh sách mục (sections)."), code="invalid_layout")
    return layout


@login_required
def form_detail(request, pk: int):
    """The form's versions, layout (visual builder, or text for advanced users), preview and rules.

    The builder posts `layout` (JSON), the text editor posts `text`; both go to `form_layout_save`.
    On an error the page comes back with what was posted, so nothing typed is lost.
    """
    _require_design(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    versions = list(report_form.versions.order_by("-number"))
    current = next((v for v in versions if v.status == FormVersion.Status.DRAFT), None) or next(
        (v for v in versions if v.status == FormVersion.Status.PUBLISHED), None
    )
    from_builder = request.method == "POST" and "layout" in request.POST
    layout_form = LayoutForm(
        request.POST if request.method == "POST" and not from_builder else None,
        initial={"text": layout_as_text(current.layout if current else {})},
    )
    builder_layout: object = current.layout if current else {"sections": []}
    builder_error = ""
    if from_builder:
        raw = request.POST["layout"]
        try:
            layout = _posted_layout(raw)
            builder_layout = layout
            version = metadata.form_layout_save(actor=request.user, form=report_form, layout=layout)
        except DomainError as exc:
            builder_error = exc.message
        else:
            _layout_saved(request, current, version)
            return redirect("reporting:design_form", pk=pk)
    elif request.method == "POST" and layout_form.is_valid():
        try:
            version = metadata.form_layout_save(
                actor=request.user, form=report_form, layout=layout_form.cleaned_data["text"]
            )
        except DomainError as exc:
            layout_form.add_error("text", exc.message)
        else:
            _layout_saved(request, current, version)
            return redirect("reporting:design_form", pk=pk)
    preview = None
    if current is not None:
        preview = build_grid(current, {})
    failed = bool(builder_error or layout_form.errors)
    return render(
        request,
        "reporting/design/form.html",
        {
            "report_form": report_form,
            "versions": versions,
            "current": current,
            "layout_form": layout_form,
            "layout_tab": "text" if layout_form.errors else "builder",
            "builder_layout": builder_layout,
            "builder_error": builder_error,
            "builder_elements": selectors.element_catalogue(get_language()),
            "builder_texts": _builder_texts(),
            "preview": preview,
            "rules": report_form.validation_rules.order_by("code"),
            "rule_form": RuleForm(),
            "elements": DataElement.objects.select_related("category_combo").order_by("code"),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def version_publish(request, pk: int, version_pk: int):
    _require_design(request)
    version = get_object_or_404(FormVersion, pk=version_pk, form_id=pk)
    try:
        metadata.form_version_publish(actor=request.user, version=version)
        messages.success(
            request,
            _("Đã phát hành phiên bản %(n)s; phiên bản cũ ngừng áp dụng, các báo cáo đã lập giữ phiên bản của mình.")
            % {"n": version.number},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:design_form", pk=pk)


@login_required
@require_POST
def rule_add(request, pk: int):
    _require_design(request)
    report_form = get_object_or_404(ReportForm, pk=pk)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            metadata.validation_rule_save(actor=request.user, form=report_form, **form.cleaned_data)
            messages.success(request, _("Đã thêm quy tắc kiểm tra."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reporting:design_form", pk=pk)


@login_required
@require_POST
def rule_delete(request, pk: int, rule_pk: int):
    _require_design(request)
    rule = get_object_or_404(ValidationRule, pk=rule_pk, form_id=pk)
    metadata.validation_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Đã xóa quy tắc %(code)s.") % {"code": rule.code})
    return redirect("reporting:design_form", pk=pk)
