"""Administrative areas and organisations, both with validity dates and successor links.

Units change (the 2025 merger of 63 provinces into 34 was not the last change), so neither
table is a fixed list: a unit is closed by setting `valid_to`, and `successors` says what it
became. `vhttdl.core.units.history` answers "what is unit X, as of date D?".
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vhttdl.core.text.collation import sort_key
from vhttdl.core.uids import generate_uid

PATH_SEGMENT_WIDTH = 6  # base-36 digits per tree level: room for 2 billion ids


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, on: date) -> ValidityQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def current(self) -> ValidityQuerySet:
        return self.filter(valid_to__isnull=True)


class Validity(models.Model):
    """A unit exists from `valid_from` (empty: since before our records) to `valid_to` (empty: now)."""

    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Area(Validity):
    """A province-level or commune-level administrative unit, with its official code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    codename = models.SlugField(_("tên mã"), max_length=80, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("loại"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("trực thuộc"),
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("kế thừa bởi")
    )
    # Vietnamese alphabetical order of the short name (core.text.collation), kept by save().
    sort_name = models.CharField(max_length=255, blank=True, default="", editable=False, db_index=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_to__isnull=True), name="area_one_current_per_code"
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"], name="area_unique_code_validity"
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to"], name="area_level_validity")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, not a rule: every write path (loaders, services, the admin) keeps it in step.
        self.sort_name = area_sort_name(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)


def area_sort_name(area: Area) -> str:
    """Provinces sort by their name without "Tỉnh"/"Thành phố" (the short name)."""
    return sort_key(area.short_name or area.name)


class OrganisationQuerySet(ValidityQuerySet):
    def subtree_of(self, organisation: Organisation) -> OrganisationQuerySet:
        """This unit and everything below it: one query on the indexed path."""
        return self.filter(path__startswith=organisation.path)


class Organisation(Validity):
    """A unit of the sector: the Ministry, an agency, a provincial department, a museum..."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ")
        AGENCY = "agency", _("Cơ quan, đơn vị thuộc Bộ")
        DEPARTMENT = "department", _("Sở Văn hóa, Thể thao và Du lịch")
        MUSEUM = "museum", _("Bảo tàng")
        LIBRARY = "library", _("Thư viện")
        RELIC_BOARD = "relic_board", _("Ban quản lý di tích")
        SPORTS_CENTRE = "sports_centre", _("Trung tâm thể thao")
        CULTURE_CENTRE = "culture_centre", _("Trung tâm văn hóa")
        COMMUNE_OFFICE = "commune_office", _("Phòng văn hóa cấp xã")
        SCHOOL = "school", _("Trường")
        OTHER = "other", _("Khác")

    uid = models.CharField(_("UID"), max_length=11, unique=True, default=generate_uid, editable=False,
                           help_text=_("Mã định danh kiểu DHIS2 (11 ký tự), cố định."))
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    # Materialised path: the parent's path plus this unit's id in fixed-width base 36.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("địa bàn"),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, related_name="predecessors", blank=True, verbose_name=_("kế thừa bởi")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Vietnamese alphabetical order (core.text.collation), kept by save(): departments by their
    # province ("Cà Mau" before "Cao Bằng"), other units by name.
    sort_name = models.CharField(max_length=255, blank=True, default="", editable=False, db_index=True)

    objects = OrganisationQuerySet.as_manager()  # type: ignore[misc]  # a subclass of Validity's queryset

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "valid_to"], name="org_kind_validity"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived column, not a rule: every write path (loaders, services, the admin) keeps it in step.
        self.sort_name = organisation_sort_name(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    def display_name(self, language: str | None = None) -> str:
        if language == "en" and self.name_en:
            return self.name_en
        return self.name

    def contains(self, other: Organisation) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    def ancestor_paths(self) -> list[str]:
        width = PATH_SEGMENT_WIDTH
        return [self.path[: i + width] for i in range(0, len(self.path), width)]


def organisation_sort_text(organisation: Organisation) -> str:
    """What a unit sorts by: a department by its province then its name, other units by name."""
    area = organisation.area if organisation.area_id else None
    if organisation.kind == Organisation.Kind.DEPARTMENT and area is not None:
        return f"{area.short_name or area.name} {organisation.name}"
    return organisation.name


def organisation_sort_name(organisation: Organisation) -> str:
    return sort_key(organisation_sort_text(organisation))


def path_segment(pk: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(PATH_SEGMENT_WIDTH, "0")
