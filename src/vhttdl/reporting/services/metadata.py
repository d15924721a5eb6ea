"""Metadata as data: categories, combos, data elements, forms, versions and layouts, validation rules.

Officials edit all of it from the designer pages (permission `reporting.design`). A form's layout
lives on a FormVersion: editing a version that reports already use starts a new draft version,
publishing it retires the old one, and the old reports keep theirs.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record, snapshot
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.units.models import Organisation
from vhttdl.reporting import permissions
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    CategoryComboMembership,
    CategoryOption,
    CategoryOptionCombo,
    DataElement,
    FormVersion,
    PeriodType,
    ReportForm,
    ValidationRule,
)
from vhttdl.reporting.rules import check_expression

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./")


def _require_design(actor: Any) -> None:
    if not permissions.can_design(actor):
        raise PermissionDenied(_("Bạn không có quyền thiết kế biểu mẫu và chỉ tiêu."))


def _check_code(code: str, *, what: str) -> str:
    code = (code or "").strip()
    if not code:
        raise InvalidInput(_("Cần nhập mã %(what)s.") % {"what": what}, code="code_required")
    if len(code) > 50 or not set(code) <= CODE_CHARS:
        raise InvalidInput(
            _("Mã «%(code)s» chỉ gồm chữ không dấu, số và các ký tự - _ . / (tối đa 50 ký tự).") % {"code": code},
            code="invalid_code",
        )
    return code


def _required(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Cần nhập %(label)s.") % {"label": label}, code="required")
    return value


# --- categories and combos ----------------------------------------------------------------------


def category_save(
    *,
    actor: Any,
    code: str,
    name: str,
    name_en: str = "",
    options: list[tuple[str, str, str]] | None = None,
    category: Category | None = None,
) -> Category:
    """Create or rename a category; `options` [(code, name, name_en)] are added or renamed, never dropped."""
    _require_design(actor)
    code = _check_code(code, what=_("phân tổ"))
    name = _required(name, _("tên phân tổ"))
    with transaction.atomic():
        if category is None:
            if Category.objects.filter(code=code).exists():
                raise Conflict(_("Đã có phân tổ mã %(code)s.") % {"code": code}, code="duplicate_code")
            category = Category.objects.create(code=code, name=name, name_en=name_en or "")
            before = None
        else:
            before = snapshot(category, ["code", "name", "name_en"])
            category.name, category.name_en = name, name_en or ""
            category.save()
        existing = {o.code: o for o in category.options.all()}
        for index, (opt_code, opt_name, opt_name_en) in enumerate(options or []):
            opt_code = _check_code(opt_code, what=_("giá trị phân tổ"))
            option = existing.get(opt_code)
            if option is None:
                if CategoryOption.objects.filter(code=opt_code).exists():
                    raise Conflict(
                        _("Mã giá trị %(code)s đã dùng ở phân tổ khác.") % {"code": opt_code}, code="duplicate_code"
                    )
                CategoryOption.objects.create(
                    category=category,
                    code=opt_code,
                    name=_required(opt_name, _("tên")),
                    name_en=opt_name_en or "",
                    sort_order=index,
                )
            else:
                option.name, option.name_en, option.sort_order = opt_name or option.name, opt_name_en or "", index
                option.save()
        audit_record(
            actor=actor,
            action="reporting.category_save",
            obj=category,
            before=before,
            after={**snapshot(category, ["code", "name", "name_en"]), "options": [o[0] for o in options or []]},
        )
        # A new option adds columns to every combo that uses the category.
        for combo in category.combos.all():
            combo_generate_option_combos(combo)
    return category


def combo_save(
    *,
    actor: Any,
    code: str,
    name: str,
    name_en: str = "",
    categories: list[Category],
    combo: CategoryCombo | None = None,
) -> CategoryCombo:
    """Create a combo of `categories` (in order) and generate its option combos.

    A combo already used by data elements with values cannot change its categories (the cells
    would lose their meaning); make a new combo instead.
    """
    _require_design(actor)
    code = _check_code(code, what=_("tổ hợp phân tổ"))
    name = _required(name, _("tên tổ hợp"))
    with transaction.atomic():
        if combo is None:
            if CategoryCombo.objects.filter(code=code).exists():
                raise Conflict(_("Đã có tổ hợp mã %(code)s.") % {"code": code}, code="duplicate_code")
            combo = CategoryCombo.objects.create(code=code, name=name, name_en=name_en or "")
        else:
            current = list(
                combo.categories.order_by("categorycombomembership__sort_order").values_list("pk", flat=True)
            )
            if current != [c.pk for c in categories] and combo.option_combos.filter(values__isnull=False).exists():
                raise Conflict(
                    _("Tổ hợp %(code)s đã có số liệu; không thể đổi phân tổ. Hãy tạo tổ hợp mới.")
                    % {"code": combo.code},
                    code="combo_in_use",
                )
            combo.name, combo.name_en = name, name_en or ""
            combo.save()
        CategoryComboMembership.objects.filter(combo=combo).exclude(category__in=categories).delete()
        for index, category in enumerate(categories):
            CategoryComboMembership.objects.update_or_create(
                combo=combo, category=category, defaults={"sort_order": index}
            )
        created = combo_generate_option_combos(combo)
        audit_record(
            actor=actor,
            action="reporting.combo_save",
            obj=combo,
            after={"code": combo.code, "categories": [c.code for c in categories], "created": created},
        )
    return combo


def combo_generate_option_combos(combo: CategoryCombo) -> int:
    """One option combo per choice of one option from each category (the cartesian product).

    Codes join the option codes with "_" (e.g. INTL_OVERNIGHT); a combo without categories has
    the single option combo "default". Existing option combos are kept; returns how many were made.
    """
    categories = list(combo.categories.order_by("categorycombomembership__sort_order"))
    existing = {c.code for c in combo.option_combos.all()}
    created = 0
    if not categories:
        if (
            CategoryOptionCombo.DEFAULT_CODE not in existing
            and not CategoryOptionCombo.objects.filter(code=CategoryOptionCombo.DEFAULT_CODE).exists()
        ):
            CategoryOptionCombo.objects.create(
                combo=combo, code=CategoryOptionCombo.DEFAULT_CODE, name=_("Tổng số"), name_en="Total", sort_order=0
            )
            created += 1
        return created
    option_lists = [list(c.options.order_by("sort_order", "code")) for c in categories]
    for index, choice in enumerate(itertools.product(*option_lists)):
        code = "_".join(o.code for o in choice)
        if code in existing:
            continue
        if CategoryOptionCombo.objects.filter(code=code).exists():
            # The same options already form a column of another combo: qualify by the combo's code.
            code = f"{combo.code}.{code}"[:50]
            if code in existing or CategoryOptionCombo.objects.filter(code=code).exists():
                continue
        coc = CategoryOptionCombo.objects.create(
            combo=combo,
            code=code,
            name=", ".join(o.name for o in choice),
            name_en=", ".join(o.name_en or o.name for o in choice),
            sort_order=index,
        )
        coc.options.set(choice)
        created += 1
    return created


def default_combo() -> CategoryCombo:
    """The combo without disaggregation ("default"), created when first needed."""
    combo, _created = CategoryCombo.objects.get_or_create(
        code=CategoryCombo.DEFAULT_CODE, defaults={"name": _("Không phân tổ"), "name_en": "None"}
    )
    combo_generate_option_combos(combo)
    return combo


# --- data elements ------------------------------------------------------------------------------

ELEMENT_FIELDS = [
    "code",
    "name",
    "name_en",
    "short_name",
    "description",
    "unit_of_measure",
    "unit_of_measure_en",
    "value_type",
    "aggregation",
    "category_combo_id",
    "national_code",
]


def data_element_save(*, actor: Any, element: DataElement | None = None, **fields: Any) -> DataElement:
    """Create or edit an indicator. Its value type and combo cannot change once it has values."""
    _require_design(actor)
    fields["code"] = _check_code(fields.get("code", element.code if element else ""), what=_("chỉ tiêu"))
    fields["name"] = _required(fields.get("name", element.name if element else ""), _("tên chỉ tiêu"))
    if fields.get("value_type") and fields["value_type"] not in DataElement.ValueType.values:
        raise InvalidInput(_("Kiểu giá trị không hợp lệ."), code="invalid_value_type")
    if fields.get("aggregation") and fields["aggregation"] not in DataElement.Aggregation.values:
        raise InvalidInput(_("Cách tổng hợp không hợp lệ."), code="invalid_aggregation")
    combo = fields.pop("category_combo", None)
    if combo is not None:
        fields["category_combo_id"] = combo.pk
    with transaction.atomic():
        if element is None:
            if DataElement.objects.filter(code=fields["code"]).exists():
                raise Conflict(_("Đã có chỉ tiêu mã %(code)s.") % {"code": fields["code"]}, code="duplicate_code")
            fields.setdefault("category_combo_id", default_combo().pk)
            element = DataElement.objects.create(**{k: v for k, v in fields.items() if k in ELEMENT_FIELDS})
            before = None
        else:
            before = snapshot(element, ELEMENT_FIELDS)
            if element.values.exists():
                for locked in ("value_type", "category_combo_id", "code"):
                    if locked in fields and fields[locked] != getattr(element, locked):
                        raise Conflict(
                            _("Chỉ tiêu %(code)s đã có số liệu; không đổi được mã, kiểu giá trị hoặc phân tổ.")
                            % {"code": element.code},
                            code="element_in_use",
                        )
            for key, value in fields.items():
                if key in ELEMENT_FIELDS:
                    setattr(element, key, value)
            element.save()
        audit_record(
            actor=actor,
            action="reporting.data_element_save",
            obj=element,
            before=before,
            after=snapshot(element, ELEMENT_FIELDS),
        )
    return element


# --- forms, versions, layouts -------------------------------------------------------------------

FORM_FIELDS = [
    "code",
    "title",
    "title_en",
    "legal_basis",
    "sector",
    "period_type",
    "data_window",
    "deadline_anchor",
    "deadline_day",
    "expiry_days",
    "submitter_kinds",
    "is_active",
]


def form_save(
    *, actor: Any, form: ReportForm | None = None, excluded_units: list[Organisation] | None = None, **fields: Any
) -> ReportForm:
    _require_design(actor)
    fields["code"] = _check_code(fields.get("code", form.code if form else ""), what=_("biểu"))
    fields["title"] = _required(fields.get("title", form.title if form else ""), _("tên biểu"))
    if "period_type" in fields and fields["period_type"] not in PeriodType.values:
        raise InvalidInput(_("Kỳ báo cáo không hợp lệ."), code="invalid_period_type")
    kinds = fields.get("submitter_kinds")
    if kinds is not None:
        bad = [k for k in kinds if k not in Organisation.Kind.values]
        if bad:
            raise InvalidInput(
                _("Loại đơn vị không hợp lệ: %(kinds)s.") % {"kinds": ", ".join(bad)}, code="invalid_kind"
            )
    day = fields.get("deadline_day")
    if day is not None and not 1 <= int(day) <= 31:
        raise InvalidInput(_("Ngày hạn nộp phải từ 1 đến 31."), code="invalid_deadline")
    with transaction.atomic():
        if form is None:
            if ReportForm.objects.filter(code=fields["code"]).exists():
                raise Conflict(_("Đã có biểu mã %(code)s.") % {"code": fields["code"]}, code="duplicate_code")
            form = ReportForm.objects.create(**{k: v for k, v in fields.items() if k in FORM_FIELDS})
            before = None
        else:
            before = snapshot(form, FORM_FIELDS)
            if "period_type" in fields and fields["period_type"] != form.period_type and form.submissions.exists():
                raise Conflict(
                    _("Biểu %(code)s đã có báo cáo; không đổi được kỳ báo cáo.") % {"code": form.code},
                    code="form_in_use",
                )
            for key, value in fields.items():
                if key in FORM_FIELDS:
                    setattr(form, key, value)
            form.save()
        if excluded_units is not None:
            form.excluded_units.set(excluded_units)
        audit_record(
            actor=actor, action="reporting.form_save", obj=form, before=before, after=snapshot(form, FORM_FIELDS)
        )
    return form


def check_layout(layout: dict) -> tuple[dict, list[DataElement]]:
    """Normalise a layout and return it with its elements; InvalidInput naming the first problem."""
    if not isinstance(layout, dict) or not isinstance(layout.get("sections"), list):
        raise InvalidInput(_("Bố cục phải có danh sách mục (sections)."), code="invalid_layout")
    codes: list[str] = []
    clean_sections = []
    for s_index, section in enumerate(layout["sections"], start=1):
        title = (section.get("title") or "").strip()
        if not title:
            raise InvalidInput(_("Mục thứ %(n)s chưa có tên.") % {"n": s_index}, code="invalid_layout")
        rows = []
        for row in section.get("rows") or []:
            code = (row.get("element") or "").strip()
            if code in codes:
                raise InvalidInput(
                    _("Chỉ tiêu %(code)s xuất hiện hai lần trong biểu.") % {"code": code}, code="duplicate_row"
                )
            codes.append(code)
            rows.append(
                {
                    "element": code,
                    "label": (row.get("label") or "").strip(),
                    "label_en": (row.get("label_en") or "").strip(),
                }
            )
        clean_sections.append({"title": title, "title_en": (section.get("title_en") or "").strip(), "rows": rows})
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in elements]
    if missing:
        raise InvalidInput(
            _("Không có chỉ tiêu mã: %(codes)s.") % {"codes": ", ".join(missing)}, code="unknown_element"
        )
    if not codes:
        raise InvalidInput(_("Biểu cần ít nhất một chỉ tiêu."), code="empty_layout")
    return {"sections": clean_sections}, [elements[c] for c in codes]


def editable_version(form: ReportForm) -> FormVersion:
    """The version an edit goes to: the draft if any; the published one if no report uses it yet;
    otherwise a new draft copied from the published version."""
    draft = form.versions.filter(status=FormVersion.Status.DRAFT).order_by("-number").first()
    if draft is not None:
        return draft
    published = form.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    if published is not None and not published.submissions.exists():
        return published
    number = (form.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = FormVersion.objects.create(
        form=form,
        number=number,
        status=FormVersion.Status.DRAFT,
        layout=published.layout if published else {"sections": []},
    )
    if published is not None:
        draft.data_elements.set(published.data_elements.all())
    return draft


def form_layout_save(*, actor: Any, form: ReportForm, layout: dict) -> FormVersion:
    """Save a layout; returns the version it went to (a new draft when the current one is in use)."""
    _require_design(actor)
    clean, elements = check_layout(layout)
    with transaction.atomic():
        version = editable_version(form)
        before = {"number": version.number, "layout": version.layout}
        version.layout = clean
        version.save(update_fields=["layout"])
        version.data_elements.set(elements)
        audit_record(
            actor=actor,
            action="reporting.form_layout_save",
            obj=version,
            before=before,
            after={"number": version.number, "status": version.status, "layout": clean},
        )
    return version


def form_version_publish(*, actor: Any, version: FormVersion) -> FormVersion:
    """Publish a draft version; the published one is retired (its reports keep it)."""
    _require_design(actor)
    with transaction.atomic():
        version = FormVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
        if version.status != FormVersion.Status.DRAFT:
            raise Conflict(_("Chỉ phát hành được phiên bản đang soạn."), code="wrong_status")
        if not version.data_elements.exists():
            raise InvalidInput(_("Phiên bản chưa có chỉ tiêu nào."), code="empty_layout")
        retired = list(FormVersion.objects.filter(form=version.form, status=FormVersion.Status.PUBLISHED))
        FormVersion.objects.filter(pk__in=[v.pk for v in retired]).update(status=FormVersion.Status.RETIRED)
        version.status = FormVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action="reporting.form_version_publish",
            obj=version,
            after={"number": version.number, "retired": [v.number for v in retired]},
        )
    return version


def _known_cells(form: ReportForm) -> dict[str, set[str]]:
    """{element code: its option combo codes} of the form's newest draft, else its published version."""
    versions = form.versions.all()
    version = (
        versions.filter(status=FormVersion.Status.DRAFT).order_by("-number").first()
        or versions.filter(status=FormVersion.Status.PUBLISHED).first()
        or versions.order_by("-number").first()
    )
    if version is None:
        return {}
    known: dict[str, set[str]] = {}
    for element in version.data_elements.select_related("category_combo"):
        known[element.code] = set(element.category_combo.option_combos.values_list("code", flat=True))
    return known


def validation_rule_save(
    *,
    actor: Any,
    form: ReportForm,
    code: str,
    left: str,
    operator: str,
    right: str,
    importance: str,
    message: str,
    message_en: str = "",
    rule: ValidationRule | None = None,
) -> ValidationRule:
    _require_design(actor)
    code = _check_code(code, what=_("quy tắc"))
    message = _required(message, _("thông báo"))
    if operator not in ValidationRule.Operator.values:
        raise InvalidInput(_("Phép so sánh không hợp lệ."), code="invalid_operator")
    if importance not in ValidationRule.Importance.values:
        raise InvalidInput(_("Mức độ không hợp lệ."), code="invalid_importance")
    known = _known_cells(form)
    check_expression(left, known)
    check_expression(right, known)
    with transaction.atomic():
        if rule is None:
            if form.validation_rules.filter(code=code).exists():
                raise Conflict(_("Biểu đã có quy tắc mã %(code)s.") % {"code": code}, code="duplicate_code")
            rule = ValidationRule(form=form)
            before = None
        else:
            before = snapshot(rule, ["code", "left", "operator", "right", "importance", "message"])
        rule.code, rule.left, rule.operator, rule.right = code, left.strip(), operator, right.strip()
        rule.importance, rule.message, rule.message_en = importance, message, message_en or ""
        rule.save()
        audit_record(
            actor=actor,
            action="reporting.validation_rule_save",
            obj=rule,
            before=before,
            after=snapshot(rule, ["code", "left", "operator", "right", "importance", "message"]),
        )
    return rule


def validation_rule_delete(*, actor: Any, rule: ValidationRule) -> None:
    _require_design(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="reporting.validation_rule_delete",
            obj=rule,
            before=snapshot(rule, ["code", "left", "operator", "right", "importance", "message"]),
        )
        rule.delete()
