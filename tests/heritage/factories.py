"""Factories for heritage records. Each test builds the little it needs (also used by the portal tests)."""

from __future__ import annotations

import factory

from tests.core.factories import AreaFactory, make_org
from vhttdl.core.units.models import Area
from vhttdl.heritage.models import (
    CalendarKind,
    Festival,
    IntangibleCategory,
    IntangibleHeritage,
    RecordStatus,
    Site,
    SiteRank,
    SiteTranslation,
    SiteType,
)

_org_counter = iter(range(1, 10_000_000))


def _default_organisation():
    area = AreaFactory()
    return make_org(f"SO-F{next(_org_counter)}", area=area)


def commune_of(province: Area, *, code: str | None = None, name: str | None = None) -> Area:
    n = next(_org_counter)
    return AreaFactory(code=code or f"{n:05d}", name=name or f"Xã Thử {n}", level=Area.Level.COMMUNE,
                       parent=province, division_type="xã")


class SiteFactory(factory.django.DjangoModelFactory):
    """A published national historical relic in Hà Nội's latitude band (inside Vietnam)."""

    class Meta:
        model = Site

    organisation = factory.LazyFunction(_default_organisation)
    province = factory.LazyAttribute(lambda o: o.organisation.area or AreaFactory())
    code = factory.Sequence(lambda n: f"DT-{n:05d}")
    name = factory.Sequence(lambda n: f"Đình làng Thử {n}")
    rank = SiteRank.NATIONAL
    site_type = SiteType.HISTORICAL
    latitude = factory.Sequence(lambda n: 21.0 + (n % 100) / 1000)
    longitude = factory.Sequence(lambda n: 105.8 + (n % 100) / 1000)
    description = "Ngôi đình cổ của làng, nơi thờ Thành hoàng."
    status = RecordStatus.PUBLISHED


class SiteTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteTranslation

    site = factory.SubFactory(SiteFactory)
    language = "en"
    name = factory.LazyAttribute(lambda o: f"{o.site.name} (EN)")
    description = "An old village communal house."


class IntangibleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntangibleHeritage
        skip_postgeneration_save = True

    organisation = factory.LazyFunction(_default_organisation)
    code = factory.Sequence(lambda n: f"PVT-{n:05d}")
    name = factory.Sequence(lambda n: f"Hát dân ca Thử {n}")
    name_en = factory.Sequence(lambda n: f"Test folk song {n}")
    category = IntangibleCategory.PERFORMING_ARTS
    description = "Lối hát đối đáp của cộng đồng."
    status = RecordStatus.PUBLISHED

    @factory.post_generation
    def provinces(obj, create, extracted, **kwargs):
        if not create:
            return
        areas = extracted if extracted is not None else [a for a in [obj.organisation.area] if a]
        if areas:
            obj.provinces.set(areas)


class FestivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Festival

    organisation = factory.LazyFunction(_default_organisation)
    province = factory.LazyAttribute(lambda o: o.organisation.area or AreaFactory())
    code = factory.Sequence(lambda n: f"LH-{n:05d}")
    name = factory.Sequence(lambda n: f"Lễ hội Thử {n}")
    name_en = factory.Sequence(lambda n: f"Test festival {n}")
    calendar = CalendarKind.LUNAR
    month = 3
    day = 10
    duration_days = 1
    status = RecordStatus.PUBLISHED
