"""Checks of a record's fields before it is saved; every problem is named by its field."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.units.models import Area
from vhttdl.heritage.geo import check_point, clean_area_geojson
from vhttdl.heritage.models import (
    CalendarKind,
    Festival,
    IntangibleCategory,
    IntangibleHeritage,
    Site,
    SiteCondition,
    SiteRank,
    SiteType,
    UnescoList,
    UnescoStatus,
)


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise InvalidInput(
                _("Dữ liệu chưa hợp lệ: %(first)s") % {"first": first},
                code="invalid_record",
                details={"fields": self.fields},
            )


def _check_code(errors: _Errors, model: type[Model], obj: Model) -> None:
    code = (obj.code or "").strip()
    obj.code = code
    if not code:
        errors.add("code", _("Cần nhập mã."))
    elif len(code) > 40 or any(ch.isspace() or ch in "/\\?#%<>\"'" for ch in code):
        errors.add("code", _("Mã chỉ gồm chữ, số, dấu gạch ngang, gạch dưới hoặc dấu chấm; tối đa 40 ký tự."))
    elif model.objects.filter(code=code).exclude(pk=obj.pk).exists():
        errors.add("code", _("Mã %(code)s đã được dùng cho một bản ghi khác.") % {"code": code})


def _check_place(errors: _Errors, obj: Site | Festival) -> None:
    province: Area | None = obj.province if obj.province_id else None
    if province is None:
        errors.add("province", _("Cần chọn tỉnh, thành phố."))
    elif province.level != Area.Level.PROVINCE or province.valid_to is not None:
        errors.add(
            "province", _("%(name)s không phải là tỉnh, thành phố hiện hành.") % {"name": province.name}
        )
    commune: Area | None = obj.commune if obj.commune_id else None
    if commune is not None:
        if commune.level != Area.Level.COMMUNE or commune.valid_to is not None:
            errors.add("commune", _("%(name)s không phải là xã, phường hiện hành.") % {"name": commune.name})
        elif province is not None and commune.parent_id != province.pk:
            errors.add(
                "commune",
                _("%(commune)s không thuộc %(province)s.")
                % {"commune": commune.name, "province": province.name},
            )


def validate_site(site: Site) -> None:
    errors = _Errors()
    _check_code(errors, Site, site)
    site.name = (site.name or "").strip()
    if not site.name:
        errors.add("name", _("Cần nhập tên di tích."))
    if site.rank not in SiteRank.values:
        errors.add("rank", _("Cấp xếp hạng không hợp lệ."))
    if site.site_type not in SiteType.values:
        errors.add("site_type", _("Loại hình di tích không hợp lệ."))
    if site.unesco_status not in UnescoStatus.values:
        errors.add("unesco_status", _("Tình trạng UNESCO không hợp lệ."))
    if site.condition not in SiteCondition.values:
        errors.add("condition", _("Tình trạng di tích không hợp lệ."))
    _check_place(errors, site)
    try:
        check_point(site.latitude, site.longitude)
    except InvalidInput as exc:
        errors.add("latitude", exc.message)
    for field in ("area_geojson", "zone1_geojson", "zone2_geojson"):
        try:
            setattr(site, field, clean_area_geojson(getattr(site, field)))
        except InvalidInput as exc:
            errors.add(field, exc.message)
    if site.unesco_year is not None and not (1972 <= int(site.unesco_year) <= 2100):
        errors.add("unesco_year", _("Năm ghi danh không hợp lệ."))
    errors.raise_if_any()


def validate_intangible(item: IntangibleHeritage) -> None:
    errors = _Errors()
    _check_code(errors, IntangibleHeritage, item)
    item.name = (item.name or "").strip()
    if not item.name:
        errors.add("name", _("Cần nhập tên di sản."))
    if item.category not in IntangibleCategory.values:
        errors.add("category", _("Loại hình di sản không hợp lệ."))
    if item.unesco_list not in UnescoList.values:
        errors.add("unesco_list", _("Danh sách UNESCO không hợp lệ."))
    errors.raise_if_any()


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def validate_festival(festival: Festival) -> None:
    errors = _Errors()
    _check_code(errors, Festival, festival)
    festival.name = (festival.name or "").strip()
    if not festival.name:
        errors.add("name", _("Cần nhập tên lễ hội."))
    if festival.calendar not in CalendarKind.values:
        errors.add("calendar", _("Lịch không hợp lệ."))
    month, day = festival.month, festival.day
    if month is None or not 1 <= int(month) <= 12:
        errors.add("month", _("Tháng phải từ 1 đến 12."))
    elif day is None or not 1 <= int(day) <= (
        30 if festival.calendar == CalendarKind.LUNAR else _MONTH_DAYS[month]
    ):
        errors.add("day", _("Ngày không có trong tháng đã chọn (tháng âm lịch có tối đa 30 ngày)."))
    if festival.is_leap_month and festival.calendar != CalendarKind.LUNAR:
        errors.add("is_leap_month", _("Chỉ lịch âm mới có tháng nhuận."))
    if not festival.duration_days or not 1 <= int(festival.duration_days) <= 366:
        errors.add("duration_days", _("Số ngày phải từ 1 đến 366."))
    _check_place(errors, festival)
    errors.raise_if_any()
