"""`localized` shows English names on English pages when they exist, Vietnamese otherwise."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.core.factories import make_org, person
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load vhttdl_ui %}{{ org|localized }}")


@pytest.mark.parametrize(("language", "name_en", "expected"), [
    ("vi", "Hà Nội Museum", "Bảo tàng Hà Nội"),
    ("en", "Hà Nội Museum", "Hà Nội Museum"),
    ("en", "", "Bảo tàng Hà Nội"),
])
def test_localized_name(language, name_en, expected):
    org = make_org("BT-HN", name="Bảo tàng Hà Nội", name_en=name_en, kind="museum")
    with translation.override(language):
        assert TEMPLATE.render(Context({"org": org})) == expected


def test_header_unit_follows_language(client, tree):
    tree.dept_a.name_en = "Department of An"
    tree.dept_a.save()
    client.force_login(person(Role.DEPARTMENT_OFFICER, tree.dept_a))
    assert client.get("/").context["current_unit_name"] == "Sở An"
    client.cookies["django_language"] = "en"
    assert client.get("/").context["current_unit_name"] == "Department of An"
