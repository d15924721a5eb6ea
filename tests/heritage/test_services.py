"""Heritage write services: validation, versions, revisions, audit, publication, search feed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.core.factories import current_version, person
from tests.heritage.factories import FestivalFactory, IntangibleFactory, SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.errors import Conflict, InvalidInput
from vhttdl.core.revisions.models import Revision
from vhttdl.core.revisions.selectors import revisions_of
from vhttdl.core.search.models import SearchDocument
from vhttdl.heritage import services
from vhttdl.heritage.models import (
    CalendarKind,
    Festival,
    IntangibleCategory,
    RankingDecision,
    RecordStatus,
    Site,
    SiteRank,
    SiteType,
)

pytestmark = pytest.mark.django_db


def site_data(tree, **extra):
    data = {
        "code": "81-0001", "name": "Đình làng An Một", "rank": SiteRank.NATIONAL,
        "site_type": SiteType.ARCHITECTURAL_ARTISTIC, "province": tree.area_a,
        "latitude": 21.03, "longitude": 105.85, "description": "Ngôi đình cổ.",
    }
    data.update(extra)
    return data


def test_create_stores_revision_audit_and_draft_search_document(tree, places):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree, commune=places["a1"]))
    assert site.organisation == tree.dept_a  # the province's department by default
    assert site.status == RecordStatus.DRAFT and site.version == 1
    revision = revisions_of(site).get()
    assert revision.number == 1 and revision.action == "created" and revision.actor == officer
    assert revision.snapshot["name"] == "Đình làng An Một"
    assert AuditEntry.objects.filter(action="heritage.site.created", object_id=str(site.pk)).exists()
    document = SearchDocument.objects.get(kind="heritage.site", object_id=str(site.pk))
    assert document.public is False and document.title == "Đình làng An Một"
    assert document.province_code == "81"


def test_update_bumps_version_and_records_the_diff(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree))
    site = services.site_update(actor=officer, site=site, data={"name": "Đình An Một", "rank": "provincial"},
                                version=1)
    assert site.version == 2
    revision = Revision.objects.filter(object_id=site.pk).order_by("-number").first()
    assert revision.number == 2
    assert revision.changes["name"] == ["Đình làng An Một", "Đình An Một"]
    assert revision.changes["rank"] == ["national", "provincial"]
    assert "description" not in revision.changes


def test_stale_version_is_a_conflict_and_changes_nothing(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree))
    services.site_update(actor=officer, site=site, data={"name": "Lần một"}, version=1)
    with pytest.raises(Conflict) as exc:
        services.site_update(actor=officer, site=site, data={"name": "Lần hai"}, version=1)
    assert exc.value.code == "stale_version"
    site.refresh_from_db()
    assert site.name == "Lần một" and site.version == 2
    assert Revision.objects.filter(object_id=site.pk).count() == 2


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        (18.0, 109.3, "sea off Hainan (China)"),
        (9.93, 103.0, "Poulo Wai (Cambodia)"),
        (17.97, 102.6, "Vientiane (Laos)"),
        (105.85, 21.03, "latitude and longitude swapped"),
        (21.03, None, "only one coordinate"),
        (95.0, 105.0, "out of range"),
    ],
)
def test_coordinates_outside_vietnam_are_refused_and_nothing_is_stored(tree, lat, lon, reason):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(InvalidInput) as exc:
        services.site_create(actor=officer, data=site_data(tree, latitude=lat, longitude=lon))
    assert "latitude" in exc.value.details["fields"], reason
    assert not Site.objects.exists() and not Revision.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="heritage.").exists()


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(16.53, 111.6), (8.64, 111.92), (10.22, 103.96), (8.68, 106.61), (23.36, 105.32), (20.13, 107.73)],
)
def test_islands_and_extreme_points_are_accepted(tree, lat, lon):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree, latitude=lat, longitude=lon))
    assert site.pk


def test_commune_must_belong_to_the_province(tree, places):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(InvalidInput) as exc:
        services.site_create(actor=officer, data=site_data(tree, commune=places["b1"]))
    assert "commune" in exc.value.details["fields"]
    assert "không thuộc" in exc.value.details["fields"]["commune"][0]


@pytest.mark.parametrize(
    "geojson",
    [
        '{"type": "Polygon", "coordinates": [[[105.85, 21.03], [105.86, 21.03], [105.86, 21.04]]]}',  # 3 points
        '{"type": "Polygon", "coordinates": [[[105.85, 21.03], [105.86, 21.03], [105.86, 21.04], '
        '[105.85, 21.05]]]}',  # not closed
        '{"type": "Point", "coordinates": [105.85, 21.03]}',
        '{"type": "Polygon", "coordinates": [[[205.85, 21.03], [105.86, 21.03], [105.86, 21.04], [205.85, 21.03]]]}',
        '{"type": "Polygon", "coordinates": [[[109.5, 18.2], [109.6, 18.2], [109.6, 18.3], [109.5, 18.2]]]}',
        "không phải JSON",
        '[1, 2, 3]',
        '{"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]}',
    ],
)
def test_invalid_geojson_is_refused(tree, geojson):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(InvalidInput) as exc:
        services.site_create(actor=officer, data=site_data(tree, area_geojson=geojson))
    assert "area_geojson" in exc.value.details["fields"]
    assert not Site.objects.exists()


def test_valid_geojson_area_and_zones_are_stored_as_geometry(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    ring = [[105.85, 21.03], [105.86, 21.03], [105.86, 21.04], [105.85, 21.03]]
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    site = services.site_create(actor=officer, data=site_data(
        tree, area_geojson=feature, zone1_geojson={"type": "MultiPolygon", "coordinates": [[ring]]},
        zone2_description="Vành đai 200 m quanh khu I."))
    site.refresh_from_db()
    assert site.area_geojson == {"type": "Polygon", "coordinates": [ring]}
    assert site.zone1_geojson["type"] == "MultiPolygon"


def test_duplicate_code_is_refused(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    services.site_create(actor=officer, data=site_data(tree))
    with pytest.raises(InvalidInput) as exc:
        services.site_create(actor=officer, data=site_data(tree, name="Khác"))
    assert "code" in exc.value.details["fields"]


def test_officer_cannot_create_for_another_provinces_department(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(PermissionDenied):
        services.site_create(actor=officer, data=site_data(tree, province=tree.area_b, organisation=tree.dept_b))
    assert not Site.objects.exists()


def test_publish_needs_heritage_publish(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree))
    with pytest.raises(PermissionDenied):
        services.record_publish(actor=officer, record=site, version=current_version(site))
    site = services.record_publish(actor=leader, record=site, version=1)
    assert site.status == RecordStatus.PUBLISHED and site.published_at and site.version == 2
    assert SearchDocument.objects.get(kind="heritage.site", object_id=str(site.pk)).public is True
    with pytest.raises(Conflict):
        services.record_publish(actor=leader, record=site, version=current_version(site))
    site = services.record_unpublish(actor=leader, record=site, version=current_version(site))
    assert site.status == RecordStatus.DRAFT and site.published_at is None
    assert SearchDocument.objects.get(kind="heritage.site", object_id=str(site.pk)).public is False
    actions = list(Revision.objects.filter(object_id=site.pk).order_by("number").values_list("action", flat=True))
    assert actions == ["created", "published", "unpublished"]


def test_delete_only_drafts_and_the_search_document_goes(tree):
    leader = person(Role.DEPARTMENT_LEADER, tree.dept_a)
    site = services.site_create(actor=leader, data=site_data(tree), publish=True)
    with pytest.raises(Conflict):
        services.record_delete(actor=leader, record=site, version=current_version(site))
    site = services.record_unpublish(actor=leader, record=site, version=current_version(site))
    pk = site.pk
    services.record_delete(actor=leader, record=site, version=current_version(site))
    assert not Site.objects.filter(pk=pk).exists()
    assert not SearchDocument.objects.filter(kind="heritage.site", object_id=str(pk)).exists()
    assert AuditEntry.objects.filter(action="heritage.site.deleted", object_id=str(pk)).exists()


def test_translation_with_fallback_to_vietnamese(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree))
    site = services.site_translation_set(actor=officer, site=site, language="en", name="An Mot communal house",
                                         version=1)
    site = Site.objects.prefetch_related("translations").get(pk=site.pk)
    assert site.translated("name", "en") == "An Mot communal house"
    assert site.translated("description", "en") == "Ngôi đình cổ."  # no English text: Vietnamese
    assert site.translated("name", "vi") == "Đình làng An Một"
    document = SearchDocument.objects.get(kind="heritage.site", object_id=str(site.pk))
    assert document.title_en == "An Mot communal house"
    with pytest.raises(InvalidInput):
        services.site_translation_set(actor=officer, site=site, language="xx", name="?", version=current_version(site))


def test_ranking_decisions_several_per_site(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    site = services.site_create(actor=officer, data=site_data(tree))
    services.ranking_decision_add(actor=officer, site=site, number="123/QĐ-UBND", decided_on=date(2001, 5, 1),
                                  issuer="UBND tỉnh", rank=SiteRank.PROVINCIAL, version=current_version(site))
    services.ranking_decision_add(actor=officer, site=site, number="45/QĐ-BVHTTDL", decided_on=date(2012, 3, 2),
                                  issuer="Bộ VHTTDL", rank=SiteRank.NATIONAL, version=current_version(site))
    assert list(RankingDecision.objects.filter(site=site).values_list("rank", flat=True)) == [
        "provincial", "national"]
    with pytest.raises(InvalidInput):
        services.ranking_decision_add(actor=officer, site=site, number="1", decided_on=None, rank="bogus",
                                      version=current_version(site))


def test_intangible_heritage_with_provinces(tree):
    officer = person(Role.MINISTRY_OFFICER, tree.ministry)
    item = services.intangible_create(actor=officer, data={
        "code": "PVT-1", "name": "Hát Xoan", "category": IntangibleCategory.PERFORMING_ARTS,
        "unesco_list": "representative", "unesco_year": 2011}, provinces=[tree.area_a, tree.area_b])
    assert set(item.provinces.all()) == {tree.area_a, tree.area_b}
    assert item.organisation == tree.ministry
    with pytest.raises(InvalidInput):
        services.intangible_create(actor=officer, data={"code": "PVT-2", "name": "X", "category": "dance"})


def test_festival_on_a_lunar_date_and_its_solar_date(tree):
    from vhttdl.heritage.lunar import lunar_to_solar

    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    festival = services.festival_create(actor=officer, data={
        "code": "LH-1", "name": "Giỗ Tổ", "calendar": CalendarKind.LUNAR, "month": 3, "day": 10,
        "duration_days": 3, "province": tree.area_a})
    assert festival.solar_date(2026) == lunar_to_solar(2026, 3, 10)
    start, end = festival.solar_range(2026)
    assert (end - start).days == 2
    with pytest.raises(InvalidInput):
        services.festival_create(actor=officer, data={
            "code": "LH-2", "name": "Sai", "calendar": CalendarKind.LUNAR, "month": 2, "day": 31,
            "province": tree.area_a})
    with pytest.raises(InvalidInput):
        services.festival_create(actor=officer, data={
            "code": "LH-3", "name": "Sai", "calendar": CalendarKind.SOLAR, "month": 2, "day": 30,
            "province": tree.area_a})
    solar = FestivalFactory(organisation=tree.dept_a, calendar=CalendarKind.SOLAR, month=4, day=14)
    assert solar.solar_date(2026) == date(2026, 4, 14)
    assert Festival.objects.count() == 2


def test_search_documents_cover_every_record(tree):
    SiteFactory(organisation=tree.dept_a, status=RecordStatus.DRAFT)
    SiteFactory(organisation=tree.dept_b)
    IntangibleFactory(organisation=tree.dept_a)
    FestivalFactory(organisation=tree.dept_b)
    docs = list(services.search_documents(batch_size=1))
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["heritage.festival", "heritage.intangible", "heritage.site", "heritage.site"]
    assert sorted(d["public"] for d in docs if d["kind"] == "heritage.site") == [False, True]
    assert all(d["title"] for d in docs)


def test_unknown_field_is_refused(tree):
    officer = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    with pytest.raises(InvalidInput):
        services.site_create(actor=officer, data=site_data(tree, version=99))
