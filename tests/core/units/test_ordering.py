"""Units and areas list in Vietnamese alphabetical order (the stored sort key), the tree by kind then name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.factories import AreaFactory, make_org, person
from vhttdl.core.accounts.roles import Role
from vhttdl.core.text import sort_key
from vhttdl.core.units import selectors
from vhttdl.core.units.models import Area, Organisation

pytestmark = pytest.mark.django_db

NAMES = ["Đồng Tháp", "Cao Bằng", "Cà Mau", "Điện Biên", "An Giang", "Đà Nẵng", "Zeta"]
ORDER = ["An Giang", "Cà Mau", "Cao Bằng", "Đà Nẵng", "Điện Biên", "Đồng Tháp", "Zeta"]


@pytest.fixture
def provinces():
    return [AreaFactory(code=f"7{i}", name=f"Tỉnh {name}", short_name=name) for i, name in enumerate(NAMES)]


def test_area_list_in_vietnamese_order(provinces):
    assert [a.short_name for a in selectors.area_list()] == ORDER


def test_departments_sort_by_province_and_keys_follow_renames(provinces):
    ministry = make_org("BO", kind=Organisation.Kind.MINISTRY, name="Bộ")
    for i, area in enumerate(provinces):
        make_org(f"SO-{i}", parent=ministry, area=area, name=f"Sở Văn hóa, Thể thao và Du lịch {area.short_name}")
    admin = person(Role.SYSTEM_ADMIN, ministry)
    names = [o.area.short_name for o in selectors.organisation_list(actor=admin, kind=Organisation.Kind.DEPARTMENT)]
    assert names == ORDER
    unit = Organisation.objects.get(code="SO-0")
    unit.name = "Sở Văn hóa Ba"
    unit.save(update_fields=["name"])
    assert Organisation.objects.get(code="SO-0").sort_name == sort_key("Đồng Tháp Sở Văn hóa Ba")
    area = Area.objects.get(code="76")
    area.short_name = "Ái"
    area.save(update_fields=["short_name"])
    assert Area.objects.get(code="76").sort_name == sort_key("Ái")


def test_tree_page_groups_kinds_and_sorts_siblings(client, tree):
    for code, name in (("SO-A-TV", "Thư viện Ân"), ("SO-A-BT2", "Bảo tàng Đá"), ("SO-A-BT3", "Bảo tàng Cà")):
        kind = Organisation.Kind.LIBRARY if code.endswith("TV") else Organisation.Kind.MUSEUM
        make_org(code, parent=tree.dept_a, kind=kind, area=tree.area_a, name=name)
    client.force_login(person(Role.SYSTEM_ADMIN, tree.ministry))
    rows = list(client.get(reverse("units:tree")).context["rows"])
    codes = [o.code for o in rows]
    # Ministry, its agency, then departments by province (An, Bình), each followed by its units:
    # museums by name (Bảo tàng An, Bảo tàng Cà, Bảo tàng Đá), then the library.
    assert codes == ["BO", "CUC", "SO-A", "SO-A-BT", "SO-A-BT3", "SO-A-BT2", "SO-A-TV", "SO-B", "SO-B-BT"]


def test_tree_order_without_the_parent_in_the_selection(tree):
    rows = selectors.tree_order([tree.museum_b, tree.dept_a, tree.museum_a])
    assert [o.code for o in rows] == ["SO-A", "SO-A-BT", "SO-B-BT"]
