"""Loading the official areas and the sector's bodies: counts, history, idempotency."""

from __future__ import annotations

from datetime import date

import pytest

from vhttdl.core.units.history import as_of, successor_map
from vhttdl.core.units.models import Area, Organisation
from vhttdl.core.units.reference import load_areas, load_sector_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_areas()
    load_sector_organisations()


def test_counts_today_and_before_the_merger(loaded):
    provinces = Area.objects.filter(level=Area.Level.PROVINCE)
    assert provinces.valid_on(date(2026, 1, 1)).count() == 34
    assert provinces.valid_on(date(2024, 6, 1)).count() == 63
    communes = Area.objects.filter(level=Area.Level.COMMUNE).current()
    assert communes.count() == 3321
    by_type = {t: communes.filter(division_type=t).count() for t in ("xã", "phường", "đặc khu")}
    assert by_type == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_every_old_province_has_exactly_one_successor(loaded):
    old = Area.objects.filter(level=Area.Level.PROVINCE, valid_to=date(2025, 6, 30))
    assert old.count() == 52
    for area in old.prefetch_related("successors"):
        assert len(area.successors.all()) == 1


@pytest.mark.parametrize(
    ("old_code", "new_name"),
    [("02", "Tuyên Quang"), ("30", "Thành phố Hải Phòng"), ("77", "Thành phố Hồ Chí Minh"), ("93", "Thành phố Cần Thơ"),
     ("35", "Ninh Bình"), ("24", "Bắc Ninh")],
)
def test_as_of_follows_the_merger(loaded, old_code, new_name):
    old = Area.objects.filter(level=Area.Level.PROVINCE, code=old_code).valid_on(date(2024, 1, 1)).get()
    assert [a.name for a in as_of(old, date(2026, 1, 1))] == [new_name]
    assert as_of(old, date(2024, 1, 1)) == [old]


def test_unchanged_province_is_one_record(loaded):
    hanoi = Area.objects.get(level=Area.Level.PROVINCE, code="01")
    assert hanoi.valid_from is None and hanoi.valid_to is None
    assert as_of(hanoi, date(2020, 1, 1)) == [hanoi]


def test_codes_reused_across_the_merger_resolve_by_date(loaded):
    # Code 24 was Bắc Giang before July 2025 and is Bắc Ninh after.
    before = Area.objects.filter(level=Area.Level.PROVINCE, code="24").valid_on(date(2025, 1, 1)).get()
    after = Area.objects.filter(level=Area.Level.PROVINCE, code="24").valid_on(date(2025, 8, 1)).get()
    assert "Bắc Giang" in before.name and after.name == "Bắc Ninh"


def test_department_successors_and_map(loaded):
    ha_giang = Organisation.objects.get(code="SO-02-2025")
    tuyen_quang = Organisation.objects.get(code="SO-08")
    assert as_of(ha_giang) == [tuyen_quang]
    mapping = successor_map(Organisation, date(2026, 1, 1))
    assert mapping[ha_giang.pk] == [tuyen_quang.pk]
    assert mapping[tuyen_quang.pk] == [tuyen_quang.pk]
    departments = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, code__startswith="SO-")
    assert departments.current().count() == 34


def test_loading_is_idempotent(loaded):
    counts = (Area.objects.count(), Organisation.objects.count(), Area.successors.through.objects.count())
    assert load_areas() == {"provinces": 0, "communes": 0, "legacy_provinces": 0, "links": 0}
    assert load_sector_organisations() == {"organisations": 0, "links": 0}
    assert counts == (Area.objects.count(), Organisation.objects.count(), Area.successors.through.objects.count())
