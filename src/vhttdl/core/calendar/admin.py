"""The administrator's pages for the calendar: every write goes through the services (checked, audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vhttdl.core.calendar import services
from vhttdl.core.calendar.models import AnnualHoliday, DayDecision
from vhttdl.core.errors import InvalidInput


class DayDecisionForm(forms.ModelForm):
    class Meta:
        model = DayDecision
        fields = ["day", "kind", "name", "name_en", "decision"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("kind"):
            try:
                services.day_decision_check(day=data["day"], kind=data["kind"], exclude_pk=self.instance.pk)
            except InvalidInput as exc:
                raise ValidationError(exc.message) from exc
        return data


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = sorted({d.year for d in DayDecision.objects.dates("day", "year")}, reverse=True)
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(day__year=int(value)) if value and value.isdigit() else queryset


@admin.register(DayDecision)
class DayDecisionAdmin(admin.ModelAdmin):
    form = DayDecisionForm
    list_display = ("day", "kind", "name", "decision", "updated_at", "updated_by")
    list_filter = (YearFilter, "kind")
    search_fields = ("name", "name_en", "decision")
    date_hierarchy = "day"
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        data: dict[str, Any] = form.cleaned_data
        saved = services.day_decision_save(
            actor=request.user, day=data["day"], kind=data["kind"], name=data["name"],
            name_en=data.get("name_en", ""), decision=data.get("decision", ""),
            instance=DayDecision.objects.get(pk=obj.pk) if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.day_decision_delete(actor=request.user, decision=obj)

    def delete_queryset(self, request, queryset):
        for decision in queryset:
            services.day_decision_delete(actor=request.user, decision=decision)


class AnnualHolidayForm(forms.ModelForm):
    class Meta:
        model = AnnualHoliday
        fields = ["day", "month", "name", "name_en", "first_year", "last_year", "observed", "decision"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) is not None for k in ("day", "month", "first_year")):
            try:
                services.annual_holiday_check(month=data["month"], day=data["day"], first_year=data["first_year"],
                                              last_year=data.get("last_year"))
            except InvalidInput as exc:
                raise ValidationError(exc.message) from exc
        return data


@admin.register(AnnualHoliday)
class AnnualHolidayAdmin(admin.ModelAdmin):
    form = AnnualHolidayForm
    list_display = ("__str__", "first_year", "last_year", "observed", "decision", "updated_at")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        data: dict[str, Any] = form.cleaned_data
        saved = services.annual_holiday_save(
            actor=request.user, month=data["month"], day=data["day"], name=data["name"],
            name_en=data.get("name_en", ""), first_year=data["first_year"], last_year=data.get("last_year"),
            observed=data.get("observed", True), decision=data.get("decision", ""),
            instance=AnnualHoliday.objects.get(pk=obj.pk) if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.annual_holiday_delete(actor=request.user, holiday=obj)

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            services.annual_holiday_delete(actor=request.user, holiday=holiday)
