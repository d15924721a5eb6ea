"""Pre-aggregated report data, kept fresh by incremental updates (no nightly rebuild).

`AggregateValue` holds, for every counted data value, its contribution to the unit that reported
it and to each of that unit's ancestors, at the period it was reported for: a sum and a count
(so averages can be computed), per data element × option combo. Coarser periods (quarter, year)
are rolled up at query time from the stored periods they contain.

History has two views. Values reported by a unit that is still current count the same in both
views and are stored once (`view = "*"`). Values of a unit that has since closed (Hà Giang's
department, 2024) are stored twice: under the unit and its ancestors as reported (`"r"`), and
under its successor(s) of today and their ancestors (`"t"`). A query for view V reads the rows
of `"*"` and of V.

`AppliedSubmission` is the ledger of what each submission has added to the aggregates, so an
update can take exactly that back out (when the report is reopened, or its values change) even
though the submission's values have changed since.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryView(models.TextChoices):
    BOTH = "*", _("Cả hai cách xem")
    AS_REPORTED = "r", _("Theo đơn vị đã báo cáo")
    TODAY = "t", _("Theo đơn vị hiện nay")


class AggregateValue(models.Model):
    view = models.CharField(max_length=1, choices=HistoryView.choices)
    # Derived data: no database-level foreign keys (PostgreSQL checks them row by row at commit, which
    # made a rebuild spend most of its time in constraint triggers); Django still cascades deletes.
    data_element = models.ForeignKey("reporting.DataElement", on_delete=models.CASCADE, related_name="+",
                                     db_constraint=False)
    category_option_combo = models.ForeignKey("reporting.CategoryOptionCombo", on_delete=models.CASCADE,
                                              related_name="+", db_constraint=False)
    organisation = models.ForeignKey("units.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_constraint=False)
    period = models.ForeignKey("reporting.Period", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    period_start = models.DateField()
    period_end = models.DateField()
    total = models.FloatField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(
                fields=["view", "data_element", "category_option_combo", "organisation", "period"],
                name="aggregate_once_per_key",
            )
        ]
        indexes = [
            # Covering (PostgreSQL): a pivot is answered from the index alone, without visiting the table.
            models.Index(fields=["data_element", "organisation", "period_start"], name="aggregate_de_ou_start",
                         include=["period_end", "view", "category_option_combo", "total", "count"]),
        ]

    def __str__(self) -> str:
        return f"{self.view}:{self.data_element_id}/{self.organisation_id}/{self.period_id}={self.total}"


class AppliedSubmission(models.Model):
    """What one submission has contributed to AggregateValue (empty when it does not count)."""

    # Not a foreign key: a deleted submission must still be taken back out of the aggregates.
    submission_id = models.BigIntegerField(primary_key=True)
    organisation_id = models.BigIntegerField()
    period_id = models.BigIntegerField()
    # [[view, organisation id, is the reporting unit itself (or its successor)], ...]
    targets = models.JSONField(default=list)
    # [[data element id, option combo id, number, rolled up the tree (False for aggregation "none")], ...]
    values = models.JSONField(default=list)
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo đã tổng hợp")
        verbose_name_plural = _("báo cáo đã tổng hợp")

    def __str__(self) -> str:
        return f"submission {self.submission_id}: {len(self.values)} values"


class AggregateYear(models.Model):
    """The calendar-year totals of `AggregateValue`: per view, element, option combo and unit, the sum of
    the rows whose stored period lies inside one calendar year (months, quarters, the year itself...).

    Kept by the same signed deltas as `AggregateValue` (`services._upsert`) and rebuilt from it, so it
    always equals `AggregateValue` summed by year. A yearly pivot of a sum or an average reads one row
    per unit × element × year here instead of twelve (and a Ministry-wide one ~500 rows, not 6,000).
    """

    view = models.CharField(max_length=1, choices=HistoryView.choices)
    data_element = models.ForeignKey("reporting.DataElement", on_delete=models.CASCADE, related_name="+",
                                     db_constraint=False)
    category_option_combo = models.ForeignKey("reporting.CategoryOptionCombo", on_delete=models.CASCADE,
                                              related_name="+", db_constraint=False)
    organisation = models.ForeignKey("units.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_constraint=False)
    year = models.IntegerField()
    total = models.FloatField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp theo năm")
        verbose_name_plural = _("số liệu tổng hợp theo năm")
        constraints = [
            models.UniqueConstraint(
                fields=["view", "data_element", "category_option_combo", "organisation", "year"],
                name="aggregate_year_once_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["data_element", "organisation", "year"], name="aggregate_year_de_ou",
                         include=["view", "category_option_combo", "total", "count"]),
        ]

    def __str__(self) -> str:
        return f"{self.view}:{self.year}={self.total} ({self.count})"
