"""D9 in the back office: 50 edits through the heritage form from stale reads lose nothing, and an
edit without the version it was read at is refused (it used to overwrite 49 of 50)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.core.factories import person
from tests.heritage.test_backoffice_views import site_post
from vhttdl.core.accounts.roles import Role
from vhttdl.heritage.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def edit(client, tree, places):
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    client.post(reverse("heritage:manage_create", args=["sites"]), site_post(tree, name="Đền An 0"))
    site = Site.objects.get(code="81-0001")
    return reverse("heritage:manage_edit", args=["sites", site.pk])


def _read(client, url) -> tuple[int, int]:
    html = client.get(url).content.decode()
    version = int(re.search(r'name="version" value="(\d+)"', html)[1])
    count = int(re.search(r'name="name"[^>]*value="Đền An (\d+)"', html)[1])
    return version, count


def test_fifty_interleaved_edits_lose_nothing(client, tree, edit):
    batches, clients = [], 0
    while clients < 50:
        size = min(len(batches) + 1, 50 - clients)
        batches.append(size)
        clients += size
    landed = conflicts = 0
    for size in batches:
        reads = [_read(client, edit) for _ in range(size)]
        for version, count in reads:
            response = client.post(edit, site_post(tree, name=f"Đền An {count + 1}", version=version))
            if response.status_code == 302:
                landed += 1
            else:
                assert response.status_code == 409, response.status_code
                conflicts += 1
    assert (landed, conflicts) == (len(batches), 50 - len(batches))
    site = Site.objects.get(code="81-0001")
    assert site.name == f"Đền An {landed}" and site.version == 1 + landed


def test_an_edit_without_its_version_is_refused(client, tree, edit):
    response = client.post(edit, site_post(tree, name="Đền An 99"))
    assert response.status_code == 400
    assert "Thiếu phiên bản" in response.content.decode()
    assert Site.objects.get(code="81-0001").name == "Đền An 0"
