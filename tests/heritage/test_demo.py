"""Demo heritage data: real records in all 34 provinces, loaded idempotently through the services."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from vhttdl.heritage.demo import load_demo, site_rows
from vhttdl.heritage.geo import in_vietnam
from vhttdl.heritage.models import Festival, IntangibleHeritage, RecordStatus, Site, SiteTranslation


def test_data_files_are_plausible():
    rows = site_rows()
    assert len(rows) >= 300
    assert len({r["province_code"] for r in rows}) == 34
    assert len({r["code"] for r in rows}) == len(rows)
    for row in rows:
        if row["lat"]:
            assert in_vietnam(float(row["lat"]), float(row["lon"])), row["name"]
    # The nine World Heritage sites after July 2025 are represented.
    world = {r["name"] for r in rows if r["unesco"] == "W"}
    for name in ("Kinh thành Huế", "Vịnh Hạ Long", "Đô thị cổ Hội An", "Khu đền tháp Mỹ Sơn",
                 "Vườn quốc gia Phong Nha – Kẻ Bàng", "Khu trung tâm Hoàng thành Thăng Long", "Thành Nhà Hồ",
                 "Quần thể danh thắng Tràng An", "Khu di tích và danh thắng Yên Tử"):
        assert name in world


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_owned_by_departments():
    call_command("load_units", verbosity=0)
    first = load_demo()
    assert first["sites"] >= 300 and first["intangible"] >= 15 and first["festivals"] >= 30
    assert load_demo() == {"sites": 0, "intangible": 0, "festivals": 0}
    assert Site.objects.values("province").distinct().count() == 34
    site = Site.objects.select_related("organisation", "province").get(name="Khu di tích lịch sử Đền Hùng")
    assert site.organisation.code == f"SO-{site.province.code}" and site.is_published
    assert Site.objects.filter(status=RecordStatus.DRAFT).exists()
    assert IntangibleHeritage.objects.get(name="Nhã nhạc cung đình Huế").unesco_list == "representative"
    gio_to = Festival.objects.get(code="LH-0001")
    assert (gio_to.calendar, gio_to.month, gio_to.day) == ("lunar", 3, 10) and gio_to.site == site
    assert gio_to.solar_date(2026) is not None


def test_best_known_sites_and_every_festival_have_english_text():
    import json

    from vhttdl.heritage.demo import DATA

    english = [row for row in site_rows() if row["description_en"]]
    assert len(english) >= 60
    world = {"Kinh thành Huế", "Vịnh Hạ Long", "Đô thị cổ Hội An", "Khu đền tháp Mỹ Sơn", "Thành Nhà Hồ",
             "Vườn quốc gia Phong Nha – Kẻ Bàng", "Khu trung tâm Hoàng thành Thăng Long",
             "Quần thể danh thắng Tràng An", "Khu di tích và danh thắng Yên Tử"}
    assert world <= {row["name"] for row in english}  # the World Heritage sites among them
    for row in english:
        assert row["name_en"], row["code"]
        sentences = row["description_en"].count(". ") + 1
        assert 1 <= sentences <= 3 and len(row["description_en"]) <= 320, row["code"]
    festivals = json.loads((DATA / "festivals.json").read_text("utf-8"))
    assert len(festivals) == 44
    assert all(item["name_en"] and item["description_en"] for item in festivals)


@pytest.mark.django_db
def test_english_texts_reach_the_records_and_every_festival_is_published():
    call_command("load_units", verbosity=0)
    load_demo()
    hue = SiteTranslation.objects.get(site__code="46-0001", language="en")
    assert hue.name == "Hue Citadel" and "Perfume River" in hue.description
    gio_to = Festival.objects.get(code="LH-0001")
    assert "Hung Kings" in gio_to.translated("description", "en")
    assert Festival.objects.filter(status=RecordStatus.PUBLISHED).count() == 44
