"""Back-office forms. They parse input only; the services validate and write.

Model forms give labels and widgets from the models; `_post_clean` is switched off so that the
model is never validated or touched here (the services own validation, with their messages).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vhttdl.core.errors import InvalidInput, version_required
from vhttdl.core.units.models import Area
from vhttdl.heritage import permissions
from vhttdl.heritage.models import (
    Festival,
    InscriptionList,
    IntangibleHeritage,
    Media,
    RecordStatus,
    Site,
    SiteRank,
)
from vhttdl.heritage.services import TRANSLATION_LANGUAGES

GEOJSON_FIELDS = ("area_geojson", "zone1_geojson", "zone2_geojson")


def current_provinces():
    return Area.objects.filter(level=Area.Level.PROVINCE, valid_to__isnull=True).order_by("sort_name", "code")


class RecordForm(forms.ModelForm):
    """Shared: owner select limited to the actor's units, hidden version, commune by code."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if "organisation" in self.fields:
            field = self.fields["organisation"]
            field.queryset = permissions.owner_choices(actor)
            field.required = False
            field.empty_label = _("— Mặc định: Sở của tỉnh —")
            field.label_from_instance = lambda org: f"{org.display_name(get_language())} ({org.code})"
        if "province" in self.fields:
            self.fields["province"].queryset = current_provinces()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:  # the service validates and writes; the model is not touched here
        return

    def clean_version(self) -> int | None:
        """An edit names the version it was read at (a stale one is the service's 409)."""
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:  # hidden: said above the form, not beside the field
            self.add_error(None, forms.ValidationError(version_required().message, code="version_required"))
        return version

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        if data.get("organisation") is None:
            data.pop("organisation", None)
        return data

    def add_service_errors(self, exc: InvalidInput) -> None:
        fields = (exc.details or {}).get("fields", {}) if isinstance(exc.details, dict) else {}
        placed = False
        for name, messages in fields.items():
            target = name if name in self.fields else ("commune_code" if name == "commune" and
                                                       "commune_code" in self.fields else None)
            for message in messages:
                self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)


class CommuneCodeMixin(forms.Form):
    commune_code = forms.CharField(label=_("Mã xã, phường"), required=False, max_length=10,
                                   help_text=_("Mã 5 chữ số của xã, phường (để trống nếu chưa rõ)."))

    def init_commune(self) -> None:
        if self.instance.pk and self.instance.commune_id:
            self.fields["commune_code"].initial = self.instance.commune.code

    def clean_commune_code(self) -> Area | None:
        code = (self.cleaned_data.get("commune_code") or "").strip()
        if not code:
            return None
        commune = Area.objects.filter(level=Area.Level.COMMUNE, valid_to__isnull=True, code=code).first()
        if commune is None:
            raise forms.ValidationError(_("Không có xã, phường hiện hành mã %(code)s.") % {"code": code[:10]})
        return commune

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["commune"] = self.cleaned_data.get("commune_code")
        return data


class SiteForm(CommuneCodeMixin, RecordForm):
    field_order = ["code", "name", "other_names", "rank", "site_type", "province", "commune_code", "address",
                   "latitude", "longitude", "location_approximate"]
    area_geojson = forms.CharField(label=_("Khu vực (GeoJSON)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
                                   help_text=_("Polygon hoặc MultiPolygon, tọa độ [kinh độ, vĩ độ]."))
    zone1_geojson = forms.CharField(label=_("Khu vực bảo vệ I (GeoJSON)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
    zone2_geojson = forms.CharField(label=_("Khu vực bảo vệ II (GeoJSON)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
    latitude = forms.FloatField(label=_("Vĩ độ"), required=False, localize=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                help_text=_("Ví dụ 21.0285 (Hà Nội)."))
    longitude = forms.FloatField(label=_("Kinh độ"), required=False, localize=False,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                 help_text=_("Ví dụ 105.8542."))

    class Meta:
        model = Site
        fields = ["code", "name", "other_names", "rank", "site_type", "province", "address", "latitude",
                  "longitude", "location_approximate", "area_geojson", "zone1_description", "zone1_geojson",
                  "zone2_description", "zone2_geojson", "condition", "condition_note", "description", "history",
                  "directions", "unesco_status", "unesco_year", "organisation"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in
                   ("description", "history", "directions", "condition_note", "zone1_description",
                    "zone2_description")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.init_commune()
        for name in GEOJSON_FIELDS:
            value = getattr(self.instance, name, None)
            if value:
                self.initial[name] = json.dumps(value, ensure_ascii=False)
        if self.instance.pk:
            self.fields["code"].disabled = True  # codes are referenced by QR boards and imports

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if self.instance.pk:
            data.pop("code", None)
        return data


class IntangibleForm(RecordForm):
    provinces = forms.ModelMultipleChoiceField(queryset=Area.objects.none(), required=False,
                                               label=_("Tỉnh, thành phố"),
                                               widget=forms.SelectMultiple(attrs={"size": 8}))

    class Meta:
        model = IntangibleHeritage
        fields = ["code", "name", "name_en", "category", "communities", "unesco_list", "unesco_year",
                  "description", "description_en", "organisation"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in ("description", "description_en", "communities")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = current_provinces()
        if self.instance.pk:
            self.fields["provinces"].initial = list(self.instance.provinces.all())
            self.fields["code"].disabled = True

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if self.instance.pk:
            data.pop("code", None)
        return data


class FestivalForm(CommuneCodeMixin, RecordForm):
    field_order = ["code", "name", "name_en", "calendar", "month", "day", "is_leap_month", "duration_days",
                   "date_note", "province", "commune_code", "place", "site_code"]
    site_code = forms.CharField(label=_("Mã di tích liên quan"), required=False, max_length=40)

    class Meta:
        model = Festival
        fields = ["code", "name", "name_en", "calendar", "month", "day", "is_leap_month", "duration_days",
                  "date_note", "province", "place", "description", "description_en", "organisation"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in ("description", "description_en")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.init_commune()
        if self.instance.pk:
            self.fields["code"].disabled = True
            if self.instance.site_id:
                self.fields["site_code"].initial = self.instance.site.code

    def clean_site_code(self) -> Site | None:
        code = (self.cleaned_data.get("site_code") or "").strip()
        if not code:
            return None
        site = Site.objects.filter(code=code).first()
        if site is None or not (site.status == RecordStatus.PUBLISHED or permissions.can_view(self.actor, site)):
            raise forms.ValidationError(_("Không có di tích mã %(code)s.") % {"code": code[:40]})
        return site

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["site"] = self.cleaned_data.get("site_code")
        if self.instance.pk:
            data.pop("code", None)
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=200)
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    rank = forms.ChoiceField(label=_("Cấp xếp hạng"), required=False,
                             choices=[("", _("Tất cả")), *list(SiteRank.choices)])
    type = forms.ChoiceField(label=_("Loại hình"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả")), *list(RecordStatus.choices)])

    def __init__(self, *args: Any, type_choices=None, show_rank: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Tất cả"))] + [
            (a.code, a.name) for a in current_provinces().only("code", "name")]
        if type_choices is None:
            del self.fields["type"]
        else:
            self.fields["type"].choices = [("", _("Tất cả")), *list(type_choices)]
        if not show_rank:
            del self.fields["rank"]


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ"), choices=[(c, c) for c in TRANSLATION_LANGUAGES])
    name = forms.CharField(label=_("Tên"), required=False, max_length=255)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    history = forms.CharField(label=_("Lịch sử"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    directions = forms.CharField(label=_("Đường đến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=200)
    rank = forms.ChoiceField(label=_("Cấp xếp hạng"), choices=SiteRank.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InscriptionForm(forms.Form):
    listing = forms.ChoiceField(label=_("Danh mục"), choices=InscriptionList.choices)
    number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decided_on = forms.DateField(label=_("Ngày quyết định"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MediaForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tư liệu"), choices=Media.Kind.choices)
    file = forms.FileField(label=_("Tệp (ảnh JPEG/PNG/WebP/GIF hoặc PDF)"), required=False)
    url = forms.CharField(label=_("Đường dẫn (video, tham quan ảo)"), required=False, max_length=500)
    caption = forms.CharField(label=_("Chú thích"), required=False, max_length=255)
    caption_en = forms.CharField(label=_("Chú thích tiếng Anh"), required=False, max_length=255)
    credit = forms.CharField(label=_("Nguồn, tác giả"), required=False, max_length=255)
    sort_order = forms.IntegerField(label=_("Thứ tự"), required=False, min_value=0, max_value=32000, initial=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in (Media.Kind.IMAGE, Media.Kind.DOCUMENT) and not data.get("file"):
            self.add_error("file", _("Hãy chọn tệp để tải lên."))
        if kind in (Media.Kind.VIDEO, Media.Kind.VIRTUAL_TOUR) and not data.get("url"):
            self.add_error("url", _("Hãy nhập đường dẫn."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"))
