"""HTML forms of the designer pages. They only parse input; the services decide and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vhttdl.core.units.models import Organisation
from vhttdl.reporting.models import Category, CategoryCombo, DataElement, PeriodType, ReportForm, ValidationRule


class DataElementForm(forms.Form):
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=50)
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=255)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=255, required=False)
    short_name = forms.CharField(label=_("Tên ngắn"), max_length=120, required=False)
    description = forms.CharField(label=_("Mô tả, cách tính"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    unit_of_measure = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    unit_of_measure_en = forms.CharField(label=_("Đơn vị tính (tiếng Anh)"), max_length=60, required=False)
    value_type = forms.ChoiceField(label=_("Kiểu giá trị"), choices=DataElement.ValueType.choices)
    aggregation = forms.ChoiceField(label=_("Cách tổng hợp"), choices=DataElement.Aggregation.choices)
    category_combo = forms.ModelChoiceField(label=_("Phân tổ (các cột nhập)"), queryset=CategoryCombo.objects.all())
    category_combo.label_from_instance = lambda combo: combo.label(get_language())
    national_code = forms.CharField(label=_("Mã chỉ tiêu quốc gia"), max_length=50, required=False)


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Mã phân tổ"), max_length=50)
    name = forms.CharField(label=_("Tên phân tổ"), max_length=255)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=255, required=False)
    options = forms.CharField(
        label=_("Các giá trị"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Mỗi dòng một giá trị: MÃ | Tên | Tên tiếng Anh. Giá trị đã có chỉ được đổi tên, không bị xóa."),
    )

    def clean_options(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(_("Dòng %(n)s: cần «MÃ | Tên».") % {"n": number})
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        return rows


class ComboForm(forms.Form):
    code = forms.CharField(label=_("Mã tổ hợp"), max_length=50)
    name = forms.CharField(label=_("Tên tổ hợp"), max_length=255)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=255, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Các phân tổ"), queryset=Category.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    categories.label_from_instance = lambda category: category.label(get_language())


class ReportFormForm(forms.Form):
    code = forms.CharField(label=_("Ký hiệu biểu"), max_length=50)
    title = forms.CharField(label=_("Tên biểu"), max_length=255)
    title_en = forms.CharField(label=_("Tên biểu (tiếng Anh)"), max_length=255, required=False)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=255, required=False)
    sector = forms.CharField(label=_("Lĩnh vực"), max_length=40, required=False)
    period_type = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodType.choices)
    data_window = forms.ChoiceField(label=_("Phạm vi số liệu"), choices=ReportForm.DataWindow.choices)
    deadline_anchor = forms.ChoiceField(label=_("Hạn nộp tính theo"), choices=ReportForm.DeadlineAnchor.choices)
    deadline_day = forms.IntegerField(label=_("Hạn nộp: ngày"), min_value=1, max_value=31)
    expiry_days = forms.IntegerField(label=_("Khóa nhập sau hạn (ngày, 0 = không khóa)"), min_value=0, max_value=365)
    submitter_kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị nộp"), choices=Organisation.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)
    excluded_units = forms.CharField(
        label=_("Đơn vị không phải nộp (mã, cách nhau bởi dấu phẩy)"),
        required=False,
        help_text=_("Đơn vị thuộc loại phải nộp nhưng không nộp biểu này, ví dụ SO-01 khi Sở Du lịch nộp thay."),
    )

    def clean_excluded_units(self):
        codes = [c.strip() for c in self.cleaned_data["excluded_units"].replace("\n", ",").split(",") if c.strip()]
        units = list(Organisation.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {u.code for u in units})
        if unknown:
            raise forms.ValidationError(_("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(unknown)})
        return units


class LayoutForm(forms.Form):
    text = forms.CharField(
        label=_("Bố cục"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=_(
            "Dòng bắt đầu bằng # là một mục: # Tên mục | Tên tiếng Anh. Mỗi dòng khác là một chỉ tiêu: "
            "MÃ_CHỈ_TIÊU | Nhãn riêng | Nhãn tiếng Anh (hai nhãn không bắt buộc). Các cột lấy theo phân tổ "
            "của chỉ tiêu."
        ),
    )

    def clean_text(self):
        sections: list[dict] = []
        for number, line in enumerate(self.cleaned_data["text"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                title, _sep, title_en = line.lstrip("#").partition("|")
                sections.append({"title": title.strip(), "title_en": title_en.strip(), "rows": []})
                continue
            if not sections:
                raise forms.ValidationError(
                    _("Dòng %(n)s: cần một mục (# Tên mục) trước chỉ tiêu đầu tiên.") % {"n": number}
                )
            code, _sep, labels = line.partition("|")
            label, _sep, label_en = labels.partition("|")
            sections[-1]["rows"].append({"element": code.strip(), "label": label.strip(), "label_en": label_en.strip()})
        return {"sections": sections}


def layout_as_text(layout: dict) -> str:
    lines = []
    for section in (layout or {}).get("sections", []):
        title = section.get("title", "")
        if section.get("title_en"):
            title += " | " + section["title_en"]
        lines.append(f"# {title}")
        for row in section.get("rows", []):
            labels = [row.get("label") or "", row.get("label_en") or ""]
            while labels and not labels[-1]:
                labels.pop()
            lines.append(" | ".join([row["element"], *labels]))
    return "\n".join(lines)


class RuleForm(forms.Form):
    code = forms.CharField(label=_("Mã quy tắc"), max_length=50)
    left = forms.CharField(label=_("Vế trái"), max_length=500, help_text=_("Ví dụ: #{DS_HIEN_VAT_SO_HOA}"))
    operator = forms.ChoiceField(label=_("Phép so sánh"), choices=ValidationRule.Operator.choices)
    right = forms.CharField(
        label=_("Vế phải"), max_length=500, help_text=_("Ví dụ: #{DS_HIEN_VAT} hoặc #{A.INTL} + 10")
    )
    importance = forms.ChoiceField(label=_("Mức độ"), choices=ValidationRule.Importance.choices)
    message = forms.CharField(label=_("Thông báo"), max_length=255)
    message_en = forms.CharField(label=_("Thông báo (tiếng Anh)"), max_length=255, required=False)
