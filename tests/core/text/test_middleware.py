"""D3 at the HTML inputs: every GET and POST value (not uploaded files) is checked by a middleware."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.factories import person
from vhttdl.core.accounts.models import ApiToken
from vhttdl.core.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, tree):
    user = person(Role.DEPARTMENT_OFFICER, tree.dept_a)
    client.force_login(user)
    return user


def test_a_nul_in_a_form_field_is_a_400_page_and_nothing_is_saved(client, officer):
    response = client.post(reverse("accounts:profile"), {"name": "máy\x00chủ", "days": 30})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ký tự điều khiển" in html and "U+0000" in html and "Không có gì được lưu" in html
    assert not ApiToken.objects.exists()


def test_the_page_speaks_english_to_english_readers(client, officer, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:profile"), {"name": "x\x01", "days": 30})
    assert response.status_code == 400 and "control character" in response.content.decode()


def test_query_strings_and_json_posts_are_checked(client, officer):
    assert client.get(reverse("accounts:people"), {"q": "a\x00"}).status_code == 400
    response = client.post("/reporting/submissions/1/save/", '{"cells": [{"value": "1\\u0000"}]}',
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "control_character"


def test_uploaded_file_contents_are_not_this_middlewares_business(client, officer):
    upload = SimpleUploadedFile("a.csv", b"name\nA\x00B\n", content_type="text/csv")
    response = client.post(reverse("accounts:profile"), {"name": "tệp", "days": 30, "file": upload})
    assert response.status_code == 200 and ApiToken.objects.count() == 1
