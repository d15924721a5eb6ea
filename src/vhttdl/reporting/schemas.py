"""Shapes of /api/v1/reporting: forms, submissions, cells, workflow steps."""

from datetime import date, datetime

from ninja import Field, Schema

from vhttdl.core.api.types import Version


class ColumnOut(Schema):
    code: str
    uid: str
    name: str


class RowOut(Schema):
    element: str
    element_uid: str
    name: str
    value_type: str
    unit_of_measure: str
    columns: list[ColumnOut]


class SectionOut(Schema):
    title: str
    rows: list[RowOut]


class FormOut(Schema):
    code: str
    uid: str
    title: str
    title_en: str
    legal_basis: str
    period_type: str
    data_window: str
    submitter_kinds: list[str]
    version: int | None = None


class FormDetailOut(FormOut):
    sections: list[SectionOut]
    rules: list[dict]


class SubmissionOut(Schema):
    id: int
    form: str
    form_version: int
    form_uid: str
    organisation: str
    organisation_uid: str
    organisation_name: str
    period: str
    status: str
    version: int
    deadline: date | None
    submitted_at: datetime | None
    is_late: bool
    approved_at: datetime | None
    accepted_at: datetime | None
    returned_reason: str

    @staticmethod
    def resolve_form(obj) -> str:
        return obj.form.code

    @staticmethod
    def resolve_form_version(obj) -> int:
        return obj.form_version.number

    @staticmethod
    def resolve_form_uid(obj) -> str:
        return obj.form.uid

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.code

    @staticmethod
    def resolve_organisation_uid(obj) -> str:
        return obj.organisation.uid

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.code


class CellOut(Schema):
    element: str
    combo: str
    value: str
    comment: str


class SubmissionDetailOut(SubmissionOut):
    values: list[CellOut]
    allowed: dict[str, bool]
    rule_failures: list[dict]

    @staticmethod
    def resolve_values(obj) -> list[dict]:
        return obj.values_out

    @staticmethod
    def resolve_rule_failures(obj) -> list[dict]:
        return obj.failures


class OpenIn(Schema):
    form: str
    organisation: str
    period: str


class CellIn(Schema):
    element: str
    combo: str = "default"
    value: str | float | int | bool | None = None
    comment: str | None = None


class ValuesIn(Schema):
    version: Version = Field(..., description="The report's version you read; a stale one gets 409")
    cells: list[CellIn] = Field(..., max_length=100_000)


class ValuesOut(Schema):
    version: int
    saved: int
    deleted: int


class StepIn(Schema):
    version: Version = Field(..., description="The report's version you read; a stale one gets 409")


class ReturnIn(StepIn):
    reason: str = Field(..., max_length=2000)


class StepOut(Schema):
    id: int
    status: str
    version: int
    warnings: list[str] = []


class RateOut(Schema):
    label: str
    expected: int
    submitted: int
    on_time: int
    rate: float
    timely_rate: float


class CompletenessOut(Schema):
    form: str
    periods: list[str]
    national: RateOut
    by_period: list[RateOut]
    by_department: list[RateOut]
    by_province: list[RateOut]
