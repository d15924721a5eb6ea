"""What an administrator decides on top of the statutory holidays of the `holidays` package.

- `DayDecision`: one date in one year, made a working day (a Saturday worked to make up for a
  bridged weekday; or a package holiday that does not apply) or a day off (an extra day off, a
  bridged weekday). Each names the government decision it comes from.
- `AnnualHoliday`: a holiday on the same date every year from some year on (a new statutory
  holiday the installed `holidays` package does not know yet, e.g. 24 Nov).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 1990, 2100


class DayDecision(models.Model):
    class Kind(models.TextChoices):
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")
        DAY_OFF = "day_off", _("Ngày nghỉ")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nội dung"), max_length=200)
    name_en = models.CharField(_("nội dung (tiếng Anh)"), max_length=200, blank=True)
    decision = models.CharField(_("căn cứ (văn bản)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người cập nhật"))

    class Meta:
        verbose_name = _("quyết định ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("quyết định ngày nghỉ, ngày làm bù")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.get_kind_display()} · {self.name}"


class AnnualHoliday(models.Model):
    day = models.PositiveSmallIntegerField(_("ngày"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    month = models.PositiveSmallIntegerField(_("tháng"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    name = models.CharField(_("tên ngày lễ"), max_length=200)
    name_en = models.CharField(_("tên ngày lễ (tiếng Anh)"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(
        _("áp dụng từ năm"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)])
    last_year = models.PositiveSmallIntegerField(
        _("áp dụng đến năm"), null=True, blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)])
    observed = models.BooleanField(
        _("nghỉ bù khi trùng ngày nghỉ hằng tuần"), default=True,
        help_text=_("Trùng thứ Bảy hoặc Chủ nhật thì được nghỉ bù vào ngày làm việc kế tiếp (Bộ luật Lao động, "
                    "Điều 111)."))
    decision = models.CharField(_("căn cứ (văn bản)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người cập nhật"))

    class Meta:
        verbose_name = _("ngày lễ hằng năm (bổ sung)")
        verbose_name_plural = _("ngày lễ hằng năm (bổ sung)")
        ordering = ["month", "day", "first_year"]
        constraints = [
            models.UniqueConstraint(fields=["month", "day", "first_year"], name="calendar_annual_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d} · {self.name}"

    def applies_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)
