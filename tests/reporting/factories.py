"""Small reporting fixtures: one test form with a disaggregated element and two rules."""

from __future__ import annotations

from dataclasses import dataclass

from vhttdl.core.accounts.policy import SYSTEM
from vhttdl.core.units.models import Organisation
from vhttdl.reporting.models import FormVersion, PeriodType, ReportForm, Submission
from vhttdl.reporting.periods import period_for_code
from vhttdl.reporting.services import metadata, submission_open, submission_values_save
from vhttdl.reporting.services.entry import CellInput


@dataclass
class TestForm:
    form: ReportForm
    version: FormVersion


def make_form(
    code: str = "T.01",
    *,
    period_type: str = PeriodType.MONTHLY,
    kinds: tuple[str, ...] = (Organisation.Kind.DEPARTMENT, Organisation.Kind.MUSEUM),
    deadline_day: int = 20,
    expiry_days: int = 0,
) -> TestForm:
    """A form: VISITS by origin (INTL/DOM), HELD and DIGITISED counts, REVENUE number, RATE percentage.

    Rules: DIGITISED <= HELD (error); VISITS >= 10 (warning).
    """
    from vhttdl.reporting.models import Category, CategoryCombo

    origin = Category.objects.filter(code="ORIGIN").first() or metadata.category_save(
        actor=SYSTEM,
        code="ORIGIN",
        name="Nguồn khách",
        name_en="Origin",
        options=[("INTL", "Quốc tế", "International"), ("DOM", "Nội địa", "Domestic")],
    )
    combo = CategoryCombo.objects.filter(code="ORIGIN").first() or metadata.combo_save(
        actor=SYSTEM, code="ORIGIN", name="Nguồn khách", categories=[origin]
    )
    from vhttdl.reporting.models import DataElement

    def element(code, name, **extra):
        return DataElement.objects.filter(code=code).first() or metadata.data_element_save(
            actor=SYSTEM, code=code, name=name, **extra
        )

    element("VISITS", "Lượt khách", category_combo=combo)
    element("HELD", "Số hiện vật")
    element("DIGITISED", "Số hiện vật số hóa")
    element("REVENUE", "Doanh thu", value_type=DataElement.ValueType.NUMBER)
    element("RATE", "Tỷ lệ", value_type=DataElement.ValueType.PERCENTAGE, aggregation="average")
    form = metadata.form_save(
        actor=SYSTEM,
        code=code,
        title=f"Biểu thử {code}",
        period_type=period_type,
        submitter_kinds=list(kinds),
        deadline_day=deadline_day,
        expiry_days=expiry_days,
    )
    version = metadata.form_layout_save(
        actor=SYSTEM,
        form=form,
        layout={
            "sections": [
                {"title": "I. Khách", "rows": [{"element": "VISITS"}, {"element": "REVENUE"}, {"element": "RATE"}]},
                {"title": "II. Hiện vật", "rows": [{"element": "HELD"}, {"element": "DIGITISED"}]},
            ]
        },
    )
    version = metadata.form_version_publish(actor=SYSTEM, version=version)
    metadata.validation_rule_save(
        actor=SYSTEM,
        form=form,
        code="SO_HOA",
        left="#{DIGITISED}",
        operator="<=",
        right="#{HELD}",
        importance="error",
        message="Số hóa không vượt số hiện vật",
    )
    metadata.validation_rule_save(
        actor=SYSTEM,
        form=form,
        code="IT_KHACH",
        left="#{VISITS}",
        operator=">=",
        right="10",
        importance="warning",
        message="Lượt khách thấp bất thường",
    )
    return TestForm(form, version)


GOOD_CELLS = [
    CellInput("VISITS", "INTL", "120"),
    CellInput("VISITS", "DOM", "1.500"),
    CellInput("REVENUE", "default", "12,5"),
    CellInput("RATE", "default", "45"),
    CellInput("HELD", "default", "1000"),
    CellInput("DIGITISED", "default", "200"),
]


def filled_submission(
    form: ReportForm, organisation: Organisation, period_code: str = "202501", cells: list[CellInput] | None = None
) -> Submission:
    submission = submission_open(
        actor=SYSTEM, form=form, organisation=organisation, period=period_for_code(period_code)
    )
    submission_values_save(actor=SYSTEM, submission=submission, cells=cells or GOOD_CELLS, version=None)
    submission.refresh_from_db()
    return submission
