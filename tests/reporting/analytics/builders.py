"""Small reporting fixtures for the analytics, exchange and forwarding tests (R2's own).

Metadata: category SEX (M/F), combos "default" and "SEX"; elements VISITORS (sum, by sex),
EVENTS (sum), RATE (average, number), STOCK (last value), NOTE (none); a monthly form BM01 and a
yearly form BN01, both published. Units: `tests.core.factories.build_tree()` plus a department
closed on 2025-06-30 (SO-C-2025) whose successor is SO-A.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tests.core.factories import Tree, build_tree, make_org
from vhttdl.core.units.models import Organisation
from vhttdl.reporting.models import (
    Category,
    CategoryCombo,
    CategoryComboMembership,
    CategoryOption,
    CategoryOptionCombo,
    DataElement,
    DataValue,
    FormVersion,
    PeriodType,
    ReportForm,
    Submission,
)
from vhttdl.reporting.periods import period_for_code


@dataclass
class Meta:
    default: CategoryOptionCombo
    male: CategoryOptionCombo
    female: CategoryOptionCombo
    elements: dict[str, DataElement]
    monthly: ReportForm
    yearly: ReportForm


def build_metadata() -> Meta:
    sex = Category.objects.create(code="SEX", name="Giới tính", name_en="Sex")
    m = CategoryOption.objects.create(category=sex, code="M", name="Nam", name_en="Male", sort_order=1)
    f = CategoryOption.objects.create(category=sex, code="F", name="Nữ", name_en="Female", sort_order=2)
    default_combo = CategoryCombo.objects.get_or_create(code="default", defaults={"name": "Không phân tổ"})[0]
    default = CategoryOptionCombo.objects.get_or_create(code="default", combo=default_combo,
                                                        defaults={"name": "Không phân tổ"})[0]
    sex_combo = CategoryCombo.objects.create(code="SEX", name="Theo giới tính")
    CategoryComboMembership.objects.create(combo=sex_combo, category=sex)
    male = CategoryOptionCombo.objects.create(code="SEX_M", combo=sex_combo, name="Nam", sort_order=1)
    male.options.add(m)
    female = CategoryOptionCombo.objects.create(code="SEX_F", combo=sex_combo, name="Nữ", sort_order=2)
    female.options.add(f)
    agg = DataElement.Aggregation
    vt = DataElement.ValueType
    specs = [
        ("VISITORS", "Lượt khách", agg.SUM, vt.NON_NEGATIVE_INTEGER, sex_combo, "QG-KHACH"),
        ("EVENTS", "Số sự kiện", agg.SUM, vt.NON_NEGATIVE_INTEGER, default_combo, ""),
        ("RATE", "Tỷ lệ hài lòng", agg.AVERAGE, vt.NUMBER, default_combo, ""),
        ("STOCK", "Số hiện vật cuối kỳ", agg.LAST, vt.NON_NEGATIVE_INTEGER, default_combo, ""),
        ("NOTE", "Chỉ số không cộng", agg.NONE, vt.NUMBER, default_combo, ""),
        ("REMARK", "Ghi chú", agg.NONE, vt.TEXT, default_combo, ""),
    ]
    elements = {
        code: DataElement.objects.create(code=code, name=name, name_en=code.title(), aggregation=aggregation,
                                         value_type=value_type, category_combo=combo, national_code=national)
        for code, name, aggregation, value_type, combo, national in specs
    }
    kinds = [Organisation.Kind.DEPARTMENT, Organisation.Kind.MUSEUM]
    monthly = ReportForm.objects.create(code="BM01", title="Biểu tháng", period_type=PeriodType.MONTHLY,
                                        submitter_kinds=kinds)
    yearly = ReportForm.objects.create(code="BN01", title="Biểu năm", period_type=PeriodType.YEARLY,
                                       submitter_kinds=kinds)
    for form, codes in ((monthly, ["VISITORS", "EVENTS", "RATE", "STOCK", "NOTE", "REMARK"]), (yearly, ["EVENTS"])):
        layout = {"sections": [{"title": "A", "rows": [{"element": c} for c in codes]}]}
        version = FormVersion.objects.create(form=form, number=1, status=FormVersion.Status.PUBLISHED,
                                             published_at=timezone.now(), layout=layout)
        version.data_elements.set([elements[c] for c in codes])
    # EVENTS is in both forms: imports without dataSet pick the form by the period's type.
    return Meta(default, male, female, elements, monthly, yearly)


def build_closed_department(tree: Tree) -> Organisation:
    """SO-C-2025: a department closed at the 2025 merger, succeeded by SO-A."""
    old = make_org("SO-C-2025", parent=tree.ministry, name="Sở Cũ", valid_to=date(2025, 6, 30))
    old.successors.add(tree.dept_a)
    return old


def report(meta: Meta, org: Organisation, period: str, values: dict, *, status: str = Submission.Status.APPROVED,
           form: ReportForm | None = None) -> Submission:
    """A submission with values {(element code, combo code): text}, written directly (no workflow)."""
    from vhttdl.reporting.values import clean_value

    form = form or meta.monthly
    p = period_for_code(period)
    sub, _created = Submission.objects.get_or_create(
        form=form, organisation=org, period=p,
        defaults={"form_version": form.versions.get(status=FormVersion.Status.PUBLISHED), "status": status},
    )
    if sub.status != status:
        sub.status = status
        sub.save(update_fields=["status"])
    combos = {c.code: c for c in CategoryOptionCombo.objects.all()}
    for (de_code, coc_code), raw in values.items():
        element = meta.elements[de_code]
        cleaned = clean_value(element, raw)
        DataValue.objects.update_or_create(
            submission=sub, data_element=element, category_option_combo=combos[coc_code],
            defaults={"organisation": org, "period": p, "value": cleaned.value, "numeric_value": cleaned.numeric},
        )
    return sub


def set_status(sub: Submission, status: str) -> Submission:
    sub.status = status
    sub.save(update_fields=["status"])
    return sub


__all__ = ["Meta", "Tree", "build_closed_department", "build_metadata", "build_tree", "report", "set_status"]
