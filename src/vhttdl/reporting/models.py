"""The reporting information system's tables, after DHIS2's aggregate model.

Metadata is data: data elements with disaggregations (category combos), report forms with
versions and layouts, validation rules, periods. Reported data: one Submission per form ×
organisation × period (it carries the workflow state), and its DataValues. Data values repeat
the submission's organisation, period and form so that bulk import and analytics need no join.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vhttdl.core.uids import generate_uid


class Named(models.Model):
    uid = models.CharField(_("UID"), max_length=11, unique=True, default=generate_uid, editable=False,
                           help_text=_("Mã định danh kiểu DHIS2 (11 ký tự), cố định."))
    code = models.CharField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def label(self, language: str | None = None) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Category(Named):
    """A disaggregation dimension: sex; domestic/international; relic rank..."""

    class Meta:
        verbose_name = _("phân tổ")
        verbose_name_plural = _("phân tổ")
        ordering = ["code"]


class CategoryOption(Named):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="options")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("giá trị phân tổ")
        verbose_name_plural = _("giá trị phân tổ")
        ordering = ["category_id", "sort_order", "code"]


class CategoryCombo(Named):
    """An ordered set of categories; its option combos are the columns a data element is entered in."""

    categories = models.ManyToManyField(Category, through="CategoryComboMembership", related_name="combos")

    DEFAULT_CODE = "default"

    class Meta:
        verbose_name = _("tổ hợp phân tổ")
        verbose_name_plural = _("tổ hợp phân tổ")
        ordering = ["code"]


class CategoryComboMembership(models.Model):
    combo = models.ForeignKey(CategoryCombo, on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["combo_id", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["combo", "category"], name="combo_category_once")]

    def __str__(self) -> str:
        return f"{self.combo_id}:{self.category_id}"


class CategoryOptionCombo(Named):
    """One cell column: a choice of one option per category of the combo (or "default")."""

    combo = models.ForeignKey(CategoryCombo, on_delete=models.CASCADE, related_name="option_combos")
    options = models.ManyToManyField(CategoryOption, blank=True, related_name="option_combos")
    sort_order = models.PositiveSmallIntegerField(default=0)

    DEFAULT_CODE = "default"

    class Meta:
        verbose_name = _("tổ hợp giá trị phân tổ")
        verbose_name_plural = _("tổ hợp giá trị phân tổ")
        ordering = ["combo_id", "sort_order", "code"]


class DataElement(Named):
    class ValueType(models.TextChoices):
        INTEGER = "integer", _("Số nguyên")
        NON_NEGATIVE_INTEGER = "non_negative_integer", _("Số nguyên không âm")
        NUMBER = "number", _("Số thập phân")
        PERCENTAGE = "percentage", _("Tỷ lệ phần trăm")
        TEXT = "text", _("Văn bản")
        BOOLEAN = "boolean", _("Có/Không")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Cộng")
        AVERAGE = "average", _("Trung bình")
        LAST = "last", _("Giá trị cuối kỳ")
        NONE = "none", _("Không tổng hợp")

    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    unit_of_measure_en = models.CharField(_("đơn vị tính (tiếng Anh)"), max_length=60, blank=True)
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=30, choices=ValueType.choices, default=ValueType.NON_NEGATIVE_INTEGER
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    category_combo = models.ForeignKey(
        CategoryCombo,
        on_delete=models.PROTECT,
        related_name="data_elements",
        verbose_name=_("tổ hợp phân tổ"),
    )
    # Code of the indicator in the Government Reporting Information System, when it has one.
    national_code = models.CharField(_("mã chỉ tiêu quốc gia"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["code"]

    @property
    def is_numeric(self) -> bool:
        return self.value_type not in {self.ValueType.TEXT, self.ValueType.BOOLEAN}


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("Tháng")
    QUARTERLY = "quarterly", _("Quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEARLY = "yearly", _("Năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class Period(models.Model):
    """A reporting period by its ISO-like code: 2025, 2025S1, 2025N9, 2025Q1, 202501, or an ad-hoc range."""

    code = models.CharField(_("mã kỳ"), max_length=30, unique=True)
    period_type = models.CharField(_("loại kỳ"), max_length=20, choices=PeriodType.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["start_date", "end_date"]
        indexes = [models.Index(fields=["period_type", "start_date"], name="period_type_start")]

    def __str__(self) -> str:
        return self.code


class ReportForm(models.Model):
    """A statistical report form (a DHIS2 data set), identified as in its circular."""

    class DataWindow(models.TextChoices):
        CALENDAR = "calendar", _("Theo lịch (tháng, quý, năm dương lịch)")
        DECREE_09 = "decree_09", _("Thời gian chốt số liệu theo Nghị định 09/2019/NĐ-CP")

    class DeadlineAnchor(models.TextChoices):
        LAST_MONTH_OF_PERIOD = "last_month", _("Trong tháng cuối của kỳ")
        MONTH_AFTER_PERIOD = "month_after", _("Trong tháng sau kỳ")

    uid = models.CharField(_("UID"), max_length=11, unique=True, default=generate_uid, editable=False,
                           help_text=_("Mã định danh kiểu DHIS2 (11 ký tự), cố định."))
    code = models.CharField(_("ký hiệu biểu"), max_length=50, unique=True)
    title = models.CharField(_("tên biểu"), max_length=255)
    title_en = models.CharField(_("tên biểu (tiếng Anh)"), max_length=255, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    sector = models.CharField(_("lĩnh vực"), max_length=40, blank=True)
    period_type = models.CharField(_("kỳ báo cáo"), max_length=20, choices=PeriodType.choices)
    data_window = models.CharField(
        _("phạm vi số liệu"), max_length=20, choices=DataWindow.choices, default=DataWindow.CALENDAR
    )
    deadline_anchor = models.CharField(
        _("hạn nộp tính theo"),
        max_length=20,
        choices=DeadlineAnchor.choices,
        default=DeadlineAnchor.MONTH_AFTER_PERIOD,
    )
    deadline_day = models.PositiveSmallIntegerField(_("hạn nộp: ngày"), default=20)
    # DHIS2's expiryDays: days after the deadline when entry locks for everyone below the Ministry.
    expiry_days = models.PositiveSmallIntegerField(_("khóa nhập sau hạn (ngày)"), default=0)
    submitter_kinds = models.JSONField(_("loại đơn vị nộp"), default=list, blank=True)
    # Units of a submitting kind that do not submit this form (DHIS2 assigns data sets to units):
    # e.g. the culture-and-sports departments of the six cities with a separate tourism department.
    excluded_units = models.ManyToManyField(
        "units.Organisation", blank=True, related_name="+", verbose_name=_("đơn vị không phải nộp")
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class FormVersion(models.Model):
    """A frozen layout of a form. Editing a form in use publishes a new version; submissions keep theirs."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        PUBLISHED = "published", _("Đang áp dụng")
        RETIRED = "retired", _("Ngừng áp dụng")

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {"sections": [{"title", "title_en", "rows": [{"element": CODE, "label"?, "label_en"?}]}]}
    layout = models.JSONField(_("bố cục"), default=dict)
    data_elements = models.ManyToManyField(DataElement, related_name="form_versions", blank=True)
    published_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")
        ordering = ["form_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number_once"),
            models.UniqueConstraint(
                fields=["form"], condition=Q(status="published"), name="form_one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"


class ValidationRule(models.Model):
    """`left operator right` over element expressions, e.g. #{DIGITISED} <= #{TOTAL}."""

    class Operator(models.TextChoices):
        EQ = "==", "="
        NE = "!=", "≠"
        LT = "<", "<"
        LE = "<=", "≤"
        GT = ">", ">"
        GE = ">=", "≥"

    class Importance(models.TextChoices):
        ERROR = "error", _("Lỗi (chặn nộp)")
        WARNING = "warning", _("Cảnh báo")

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="validation_rules")
    code = models.CharField(_("mã"), max_length=50)
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500)
    importance = models.CharField(_("mức độ"), max_length=10, choices=Importance.choices, default=Importance.ERROR)
    message = models.CharField(_("thông báo"), max_length=255)
    message_en = models.CharField(_("thông báo (tiếng Anh)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["form_id", "code"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="rule_code_once_per_form")]

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


class Submission(models.Model):
    """One form × unit × period: its workflow state and lock. DHIS2's completeness + approval in one row."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã nộp")
        APPROVED = "approved", _("Cấp trên đã duyệt")
        ACCEPTED = "accepted", _("Bộ đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    # States whose values analytics count (DHIS2 counts approved data).
    COUNTED_STATUSES = frozenset({"approved", "accepted"})

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)  # optimistic lock: every save of values bumps it
    deadline = models.DateField(_("hạn nộp"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period__start_date", "form_id", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["form", "organisation", "period"], name="submission_once_per_period")
        ]
        indexes = [
            models.Index(fields=["form", "period", "status"], name="submission_form_period"),
            models.Index(fields=["organisation", "period"], name="submission_org_period"),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} · {self.organisation} · {self.period.code}"

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED, self.Status.ACCEPTED}


class SubmissionEvent(models.Model):
    """The workflow history a person reads: submitted, returned (with reason), approved, reopened..."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("lý do"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission_id", "at"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    ACTION_LABELS = {
        "submit": _("Nộp báo cáo"),
        "approve": _("Cấp trên duyệt"),
        "accept": _("Bộ tiếp nhận"),
        "return": _("Trả lại"),
        "reopen": _("Mở lại để sửa"),
    }

    def get_action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))


class DataValue(models.Model):
    """One cell. `value` is what was entered; `numeric_value` the number analytics add up.

    The biggest table (tens of millions of rows), so it carries only the indexes its reads use: the
    primary key and the one-cell-per-report constraint (which also serves "the values of a report").
    The database checks that a value belongs to an existing report; the other references are written
    only by the services after checking them, so they skip the per-row database check and index
    (Django still refuses to delete an element, option combo, unit or period that has values).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values", db_index=False)
    data_element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values",
                                     db_constraint=False, db_index=False)
    category_option_combo = models.ForeignKey(CategoryOptionCombo, on_delete=models.PROTECT, related_name="values",
                                              db_constraint=False, db_index=False)
    organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_constraint=False, db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_constraint=False,
                               db_index=False)
    value = models.CharField(_("giá trị"), max_length=1000)
    numeric_value = models.FloatField(null=True, blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )

    class Meta:
        verbose_name = _("giá trị")
        verbose_name_plural = _("giá trị")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "data_element", "category_option_combo"], name="value_once_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_element.code}={self.value}"


class CellChange(models.Model):
    """One cell changed by one save of a report: what the 409 answer lists as changed since a version.

    Written by `services.entry.submission_values_save` in the save's own transaction (the audit
    log records the same save; it is the record of what happened, this is the application's state).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="cell_changes")
    version = models.PositiveIntegerField(_("phiên bản"))  # the submission's version after the save
    element = models.CharField(max_length=50)
    combo = models.CharField(max_length=50)
    old = models.CharField(max_length=1000, null=True, blank=True)  # None: the cell was empty
    new = models.CharField(max_length=1000, blank=True)  # "": the cell was emptied
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", db_constraint=False)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thay đổi ô số liệu")
        verbose_name_plural = _("thay đổi ô số liệu")
        indexes = [models.Index(fields=["submission", "version"], name="cell_change_since")]

    def __str__(self) -> str:
        return f"{self.element}/{self.combo} v{self.version}"


class ReminderSent(models.Model):
    """A deadline reminder e-mailed for one form, unit and period on one day (at most one a day)."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("units.Organisation", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("ngày nhắc"))
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lời nhắc hạn đã gửi")
        verbose_name_plural = _("lời nhắc hạn đã gửi")
        constraints = [
            models.UniqueConstraint(fields=["form", "organisation", "period", "day"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}:{self.organisation_id}:{self.period_id} {self.day}"
