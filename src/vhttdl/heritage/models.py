"""Heritage records: relics and scenic spots, intangible heritage, festivals, their media and revisions.

Every record is owned by an Organisation (`organisation`, usually the province's department or
a relic board): the policy scopes edits by that unit's subtree. Records carry `status`
(draft/published) and `version` (optimistic locking). Writes go through `services/`, which also
stores a numbered revision (core.revisions) and an audit entry for each change.

Field names are a contract with the public portal (H3): add fields, don't rename them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class SiteRank(models.TextChoices):
    SPECIAL_NATIONAL = "special_national", _("Di tích quốc gia đặc biệt")
    NATIONAL = "national", _("Di tích quốc gia")
    PROVINCIAL = "provincial", _("Di tích cấp tỉnh")
    INVENTORIED = "inventoried", _("Đã kiểm kê, chưa xếp hạng")


class SiteType(models.TextChoices):
    HISTORICAL = "historical", _("Di tích lịch sử")
    ARCHITECTURAL_ARTISTIC = "architectural_artistic", _("Di tích kiến trúc nghệ thuật")
    ARCHAEOLOGICAL = "archaeological", _("Di tích khảo cổ")
    SCENIC = "scenic", _("Danh lam thắng cảnh")


class UnescoStatus(models.TextChoices):
    NONE = "none", _("Không")
    WORLD_HERITAGE = "world_heritage", _("Di sản thế giới")
    TENTATIVE = "tentative", _("Danh sách dự kiến")


class SiteCondition(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa đánh giá")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Xuống cấp nhẹ")
    DEGRADED = "degraded", _("Xuống cấp nghiêm trọng")
    RUINED = "ruined", _("Phế tích")


class IntangibleCategory(models.TextChoices):
    """The six categories of Article 10, Law on Cultural Heritage No. 45/2024/QH15."""

    ORAL_TRADITIONS = "oral_traditions", _("Biểu đạt và truyền thống truyền khẩu")
    PERFORMING_ARTS = "performing_arts", _("Nghệ thuật trình diễn dân gian")
    SOCIAL_PRACTICES = "social_practices", _("Tập quán xã hội và tín ngưỡng")
    FESTIVALS = "festivals", _("Lễ hội truyền thống")
    FOLK_KNOWLEDGE = "folk_knowledge", _("Tri thức dân gian")
    CRAFTS = "crafts", _("Nghề thủ công truyền thống")


class UnescoList(models.TextChoices):
    NONE = "none", _("Không")
    REPRESENTATIVE = "representative", _("Danh sách đại diện của nhân loại")
    URGENT = "urgent", _("Danh sách cần bảo vệ khẩn cấp")
    GOOD_PRACTICE = "good_practice", _("Danh mục thực hành bảo vệ tốt")


class InscriptionList(models.TextChoices):
    PROVINCIAL_INVENTORY = "provincial_inventory", _("Danh mục kiểm kê của tỉnh")
    NATIONAL = "national", _("Danh mục quốc gia về di sản văn hóa phi vật thể")
    NATIONAL_URGENT = "national_urgent", _("Danh mục quốc gia cần bảo vệ khẩn cấp")
    UNESCO_REPRESENTATIVE = "unesco_representative", _("UNESCO: đại diện của nhân loại")
    UNESCO_URGENT = "unesco_urgent", _("UNESCO: cần bảo vệ khẩn cấp")
    UNESCO_GOOD_PRACTICE = "unesco_good_practice", _("UNESCO: thực hành bảo vệ tốt")


class CalendarKind(models.TextChoices):
    LUNAR = "lunar", _("Âm lịch")
    SOLAR = "solar", _("Dương lịch")


class HeritageRecord(models.Model):
    """What the three kinds of record share: owner, publication state, version, timestamps."""

    organisation = models.ForeignKey(
        "units.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị quản lý"),
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=RecordStatus.choices,
                              default=RecordStatus.DRAFT)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == RecordStatus.PUBLISHED


class Site(HeritageRecord):
    """A relic (di tích) or a scenic spot (danh lam thắng cảnh)."""

    SEARCH_KIND = "heritage.site"

    code = models.CharField(_("mã di tích"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    other_names = models.CharField(_("tên gọi khác"), max_length=500, blank=True)
    rank = models.CharField(_("cấp xếp hạng"), max_length=20, choices=SiteRank.choices)
    site_type = models.CharField(_("loại hình"), max_length=30, choices=SiteType.choices)
    province = models.ForeignKey(
        "units.Area", on_delete=models.PROTECT, related_name="heritage_sites",
        verbose_name=_("tỉnh, thành phố"),
    )
    commune = models.ForeignKey(
        "units.Area", on_delete=models.PROTECT, null=True, blank=True,
        related_name="heritage_sites_in_commune",
        verbose_name=_("xã, phường"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    location_approximate = models.BooleanField(_("tọa độ gần đúng"), default=False)
    area_geojson = models.JSONField(_("khu vực (GeoJSON)"), null=True, blank=True)
    zone1_geojson = models.JSONField(_("khu vực bảo vệ I (GeoJSON)"), null=True, blank=True)
    zone1_description = models.TextField(_("khu vực bảo vệ I"), blank=True)
    zone2_geojson = models.JSONField(_("khu vực bảo vệ II (GeoJSON)"), null=True, blank=True)
    zone2_description = models.TextField(_("khu vực bảo vệ II"), blank=True)
    condition = models.CharField(_("tình trạng"), max_length=12, choices=SiteCondition.choices,
                                 default=SiteCondition.UNKNOWN)
    condition_note = models.TextField(_("ghi chú tình trạng"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    history = models.TextField(_("lịch sử"), blank=True)
    directions = models.TextField(_("đường đến"), blank=True)
    unesco_status = models.CharField(_("UNESCO"), max_length=20, choices=UnescoStatus.choices,
                                     default=UnescoStatus.NONE)
    unesco_year = models.PositiveSmallIntegerField(_("năm UNESCO ghi danh"), null=True, blank=True)

    class Meta:
        verbose_name = _("di tích, danh thắng")
        verbose_name_plural = _("di tích, danh thắng")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["status", "longitude", "latitude"], name="site_status_lonlat"),
            models.Index(fields=["province", "status"], name="site_province_status"),
            models.Index(fields=["rank", "site_type"], name="site_rank_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="site_coordinates_pair_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def translated(self, field: str, language: str | None = None) -> str:
        """`field` (name, description, history, directions) in `language`, falling back to Vietnamese.

        Uses prefetched `translations` when present (no query per site in lists).
        """
        language = (language or translation.get_language() or "vi").split("-")[0]
        if language != "vi":
            for tr in self.translations.all():
                if tr.language == language and getattr(tr, field, ""):
                    return getattr(tr, field)
        return getattr(self, field)


class SiteTranslation(models.Model):
    """A site's texts in another language (en, fr, ...); Vietnamese lives on Site itself."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("ngôn ngữ"), max_length=10)
    name = models.CharField(_("tên"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    history = models.TextField(_("lịch sử"), blank=True)
    directions = models.TextField(_("đường đến"), blank=True)

    class Meta:
        verbose_name = _("bản dịch")
        verbose_name_plural = _("bản dịch")
        ordering = ["site_id", "language"]
        constraints = [models.UniqueConstraint(fields=["site", "language"], name="site_translation_once")]

    def __str__(self) -> str:
        return f"{self.site_id}:{self.language}"


class RankingDecision(models.Model):
    """A decision that ranked (or re-ranked) a site: number, date, issuer and the rank given."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="decisions")
    number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    rank = models.CharField(_("cấp xếp hạng"), max_length=20, choices=SiteRank.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quyết định xếp hạng")
        verbose_name_plural = _("quyết định xếp hạng")
        ordering = ["site_id", "decided_on", "id"]

    def __str__(self) -> str:
        return self.number


class IntangibleHeritage(HeritageRecord):
    SEARCH_KIND = "heritage.intangible"

    code = models.CharField(_("mã di sản"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    category = models.CharField(_("loại hình"), max_length=30, choices=IntangibleCategory.choices)
    provinces = models.ManyToManyField("units.Area", related_name="intangible_heritage", blank=True,
                                       verbose_name=_("tỉnh, thành phố"))
    communities = models.TextField(_("cộng đồng chủ thể"), blank=True)
    unesco_list = models.CharField(_("danh sách UNESCO"), max_length=20, choices=UnescoList.choices,
                                   default=UnescoList.NONE)
    unesco_year = models.PositiveSmallIntegerField(_("năm UNESCO ghi danh"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    description_en = models.TextField(_("mô tả tiếng Anh"), blank=True)

    class Meta:
        verbose_name = _("di sản văn hóa phi vật thể")
        verbose_name_plural = _("di sản văn hóa phi vật thể")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "category"], name="intangible_status_category")]

    def __str__(self) -> str:
        return self.name

    def translated(self, field: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "vi").split("-")[0]
        if language == "en":
            value = getattr(self, f"{field}_en", "")
            if value:
                return value
        return getattr(self, field)


class Inscription(models.Model):
    """An intangible heritage item's entry in a list: national list, urgent safeguarding, UNESCO..."""

    heritage = models.ForeignKey(IntangibleHeritage, on_delete=models.CASCADE, related_name="inscriptions")
    listing = models.CharField(_("danh mục"), max_length=30, choices=InscriptionList.choices)
    number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quyết định ghi danh")
        verbose_name_plural = _("quyết định ghi danh")
        ordering = ["heritage_id", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_listing_display()} {self.number}".strip()


class Festival(HeritageRecord):
    """A festival that recurs every year on a lunar or solar date."""

    SEARCH_KIND = "heritage.festival"

    code = models.CharField(_("mã lễ hội"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    calendar = models.CharField(_("lịch"), max_length=8, choices=CalendarKind.choices,
                                default=CalendarKind.LUNAR)
    month = models.PositiveSmallIntegerField(_("tháng"))
    day = models.PositiveSmallIntegerField(_("ngày"))
    is_leap_month = models.BooleanField(_("tháng nhuận"), default=False)
    duration_days = models.PositiveSmallIntegerField(_("số ngày"), default=1)
    date_note = models.CharField(_("ghi chú về ngày"), max_length=255, blank=True)
    province = models.ForeignKey("units.Area", on_delete=models.PROTECT, related_name="festivals",
                                 verbose_name=_("tỉnh, thành phố"))
    commune = models.ForeignKey("units.Area", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="festivals_in_commune", verbose_name=_("xã, phường"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="festivals",
                             verbose_name=_("di tích liên quan"))
    intangible = models.ForeignKey(IntangibleHeritage, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="festivals", verbose_name=_("di sản phi vật thể liên quan"))
    description = models.TextField(_("mô tả"), blank=True)
    description_en = models.TextField(_("mô tả tiếng Anh"), blank=True)

    class Meta:
        verbose_name = _("lễ hội")
        verbose_name_plural = _("lễ hội")
        ordering = ["calendar", "month", "day", "code"]
        indexes = [models.Index(fields=["status", "province"], name="festival_status_province")]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="festival_month_1_12"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=31), name="festival_day_1_31"),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="festival_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def translated(self, field: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "vi").split("-")[0]
        if language == "en":
            value = getattr(self, f"{field}_en", "")
            if value:
                return value
        return getattr(self, field)

    def solar_date(self, year: int) -> date | None:
        """The first day of this festival in the solar year `year` (lunar dates converted, UTC+7).

        A lunar festival of year Y starts in lunar year Y (Tết-based), which falls in solar Y or,
        for the 11th/12th lunar months, possibly in solar Y+1; we return the lunar-year-Y date.
        None when the date does not exist that year (a leap month that year lacks, 31/2...).
        """
        if self.calendar == CalendarKind.SOLAR:
            try:
                return date(year, self.month, self.day)
            except ValueError:
                return None
        from vhttdl.heritage.lunar import lunar_to_solar  # the portal's calendar module (H3)

        try:
            return lunar_to_solar(year, self.month, self.day, leap=self.is_leap_month)
        except (ValueError, LookupError):
            return None

    def solar_range(self, year: int) -> tuple[date, date] | None:
        start = self.solar_date(year)
        if start is None:
            return None
        return start, start + timedelta(days=max(self.duration_days, 1) - 1)


# Any of the three kinds of heritage record (services and search take each of them).
Record = Site | IntangibleHeritage | Festival


class Media(models.Model):
    """A picture, video link, virtual tour link or PDF document attached to one record."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Ảnh")
        VIDEO = "video", _("Video")
        VIRTUAL_TOUR = "virtual_tour", _("Tham quan ảo")
        DOCUMENT = "document", _("Tài liệu")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True, related_name="media")
    intangible = models.ForeignKey(IntangibleHeritage, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="media")
    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="media")
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="heritage/media/%Y/%m/", max_length=255, blank=True)
    thumb_small = models.FileField(max_length=255, blank=True, editable=False)
    thumb_large = models.FileField(max_length=255, blank=True, editable=False)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    caption_en = models.CharField(_("chú thích tiếng Anh"), max_length=255, blank=True)
    credit = models.CharField(_("nguồn, tác giả"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("tư liệu")
        verbose_name_plural = _("tư liệu")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(site__isnull=False, intangible__isnull=True, festival__isnull=True)
                           | Q(site__isnull=True, intangible__isnull=False, festival__isnull=True)
                           | Q(site__isnull=True, intangible__isnull=True, festival__isnull=False)),
                name="media_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or self.original_name or self.url or f"media {self.pk}"

    @property
    def record(self) -> Any:
        return self.site or self.intangible or self.festival

    @property
    def organisation(self):
        return self.record.organisation

    def caption_in(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "vi").split("-")[0]
        return self.caption_en if language == "en" and self.caption_en else self.caption


# The labels of the revision actions heritage stores (core.revisions holds the revisions).
REVISION_ACTIONS = {
    "created": _("Tạo mới"),
    "updated": _("Cập nhật"),
    "published": _("Công bố"),
    "unpublished": _("Gỡ công bố"),
    "imported": _("Nhập từ tệp"),
    "translated": _("Cập nhật bản dịch"),
    "decision_added": _("Thêm quyết định xếp hạng"),
    "decision_removed": _("Xóa quyết định xếp hạng"),
    "inscription_added": _("Thêm quyết định ghi danh"),
    "media_added": _("Thêm tư liệu"),
    "media_removed": _("Xóa tư liệu"),
}
