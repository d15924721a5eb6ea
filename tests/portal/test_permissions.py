"""The portal's permission matrix: every role × each page. The portal is public and shows only published
records; who is signed in decides what `/` is, never what the public pages reveal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.factories import ROLE_HOME, person
from tests.heritage.factories import SiteFactory
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.models import RecordStatus, SiteRank

pytestmark = pytest.mark.django_db

ROLES = [None, *Role.values]


@pytest.fixture
def records(tree):
    SiteFactory(organisation=tree.dept_a, province=tree.area_a, code="DT-CONG", name="Đền công bố",
                rank=SiteRank.SPECIAL_NATIONAL)
    SiteFactory(organisation=tree.dept_a, province=tree.area_a, code="DT-NHAP", name="Đền bản nháp",
                rank=SiteRank.SPECIAL_NATIONAL, status=RecordStatus.DRAFT)
    return tree


def login(client, tree, role):
    if role is not None:
        client.force_login(person(role, getattr(tree, ROLE_HOME[role])))


@pytest.mark.parametrize("role", ROLES)
def test_the_front_door_is_the_landing_page_for_visitors_and_the_home_for_people_signed_in(client, records, role):
    login(client, records, role)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("landing-title" in html) is (role is None)


@pytest.mark.parametrize("role", ROLES)
def test_the_landing_page_shows_published_records_only_whoever_asks(client, records, role):
    login(client, records, role)
    html = client.get(reverse("portal:landing")).content.decode()
    assert "Đền công bố" in html and "Đền bản nháp" not in html
