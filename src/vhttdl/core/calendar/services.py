"""Writes of the working-day calendar: an administrator's decisions, each checked and audited.

The Django admin saves through these (see admin.py). A write clears the cached years it touches.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vhttdl.core.audit.services import audit_record, snapshot
from vhttdl.core.calendar.models import MAX_YEAR, MIN_YEAR, AnnualHoliday, DayDecision
from vhttdl.core.calendar.selectors import cache_key, load_year
from vhttdl.core.errors import InvalidInput

NAME_MAX = 200


def _forget(*years: int) -> None:
    keys = [cache_key(year) for year in set(years)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _text(value: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Cần ghi %(field)s.") % {"field": label}, code="required")
    if len(value) > NAME_MAX:
        raise InvalidInput(_("%(field)s dài quá %(max)s ký tự.") % {"field": label, "max": NAME_MAX},
                           code="too_long")
    if any(ord(c) < 32 for c in value):
        raise InvalidInput(_("%(field)s có ký tự điều khiển.") % {"field": label}, code="control_character")
    return value


def day_decision_check(*, day: date, kind: str, exclude_pk: int | None = None) -> None:
    """Refuse a decision that changes nothing or clashes with another one (InvalidInput)."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidInput(_("Ngày phải trong các năm %(min)s–%(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                           code="year_out_of_range")
    if kind not in DayDecision.Kind.values:
        raise InvalidInput(_("Loại quyết định không hợp lệ."), code="invalid_kind")
    others = DayDecision.objects.filter(day=day)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise InvalidInput(_("Ngày %(day)s đã có quyết định.") % {"day": day.strftime("%d/%m/%Y")},
                           code="duplicate_day")
    without = load_year(day.year, without_decision=exclude_pk)  # the year as it would be without this one
    works = without.is_working_day(day)
    if kind == DayDecision.Kind.WORKING_DAY and works:
        raise InvalidInput(_("Ngày %(day)s vốn đã là ngày làm việc.") % {"day": day.strftime("%d/%m/%Y")},
                           code="already_working_day")
    if kind == DayDecision.Kind.DAY_OFF and not works:
        raise InvalidInput(_("Ngày %(day)s vốn đã là ngày nghỉ.") % {"day": day.strftime("%d/%m/%Y")},
                           code="already_day_off")


def day_decision_save(
    *,
    actor: Any,
    day: date,
    kind: str,
    name: str,
    name_en: str = "",
    decision: str = "",
    instance: DayDecision | None = None,
) -> DayDecision:
    """Make `day` a working day or a day off (a new decision, or `instance` changed)."""
    name = _text(name, _("nội dung"), required=True)
    name_en = _text(name_en, _("nội dung (tiếng Anh)"), required=False)
    decision = _text(decision, _("căn cứ"), required=False)
    with transaction.atomic():
        day_decision_check(day=day, kind=kind, exclude_pk=instance.pk if instance else None)
        before = snapshot(instance) if instance else None
        old_year = instance.day.year if instance else day.year
        row = instance or DayDecision()
        row.day, row.kind, row.name, row.name_en, row.decision = day, kind, name, name_en, decision
        row.updated_at, row.updated_by = timezone.now(), _user(actor)
        row.save()
        audit_record(actor=actor, action="calendar.day_decision_save", obj=row, before=before,
                     after=snapshot(row, ["day", "kind", "name", "name_en", "decision"]))
        _forget(old_year, day.year)
    return row


def day_decision_delete(*, actor: Any, decision: DayDecision) -> None:
    with transaction.atomic():
        before = snapshot(decision, ["day", "kind", "name", "name_en", "decision"])
        year = decision.day.year
        audit_record(actor=actor, action="calendar.day_decision_delete", obj=decision, before=before)
        decision.delete()
        _forget(year)


def annual_holiday_check(*, month: int, day: int, first_year: int, last_year: int | None) -> None:
    try:
        date(2024, month, day)  # a leap year: 29 Feb is allowed (it applies in leap years only)
    except (TypeError, ValueError):
        raise InvalidInput(_("Ngày và tháng không hợp lệ."), code="invalid_date") from None
    for year in (first_year, last_year):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidInput(_("Năm phải trong khoảng %(min)s–%(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                               code="year_out_of_range")
    if last_year is not None and last_year < first_year:
        raise InvalidInput(_("Năm kết thúc trước năm bắt đầu."), code="invalid_range")


def annual_holiday_save(
    *,
    actor: Any,
    month: int,
    day: int,
    name: str,
    first_year: int,
    last_year: int | None = None,
    name_en: str = "",
    observed: bool = True,
    decision: str = "",
    instance: AnnualHoliday | None = None,
) -> AnnualHoliday:
    """A holiday on `day`/`month` every year from `first_year` (to `last_year`, if it ends)."""
    name = _text(name, _("tên ngày lễ"), required=True)
    name_en = _text(name_en, _("tên ngày lễ (tiếng Anh)"), required=False)
    decision = _text(decision, _("căn cứ"), required=False)
    annual_holiday_check(month=month, day=day, first_year=first_year, last_year=last_year)
    with transaction.atomic():
        before = snapshot(instance) if instance else None
        row = instance or AnnualHoliday()
        row.month, row.day, row.name, row.name_en = month, day, name, name_en
        row.first_year, row.last_year, row.observed, row.decision = first_year, last_year, observed, decision
        row.updated_at, row.updated_by = timezone.now(), _user(actor)
        row.save()
        audit_record(actor=actor, action="calendar.annual_holiday_save", obj=row, before=before,
                     after=snapshot(row, ["month", "day", "name", "name_en", "first_year", "last_year",
                                          "observed", "decision"]))
        _forget(*range(MIN_YEAR, MAX_YEAR + 1))  # a rule of every year
    return row


def annual_holiday_delete(*, actor: Any, holiday: AnnualHoliday) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="calendar.annual_holiday_delete", obj=holiday, before=snapshot(holiday))
        holiday.delete()
        _forget(*range(MIN_YEAR, MAX_YEAR + 1))
