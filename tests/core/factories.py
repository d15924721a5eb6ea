"""Factories for core: units, people, grants. Each test builds the little it needs."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from vhttdl.core.accounts.models import Grant, User
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Area, Organisation
from vhttdl.core.units.services import organisation_build


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"{90 + n % 10}{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.replace("Tỉnh ", ""))
    level = Area.Level.PROVINCE
    division_type = "tỉnh"


def make_org(code: str, *, parent: Organisation | None = None, kind: str = Organisation.Kind.DEPARTMENT,
             name: str | None = None, area: Area | None = None, **extra) -> Organisation:
    return organisation_build(code=code, name=name or f"Đơn vị {code}", kind=kind, parent=parent, area=area, **extra)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, role: str, organisation: Organisation) -> Grant:
    return Grant.objects.create(user=user, role=role, organisation=organisation)


def person(role: str, organisation: Organisation, **kwargs) -> User:
    user = UserFactory(**kwargs)
    grant(user, role, organisation)
    return user


@dataclass
class Tree:
    ministry: Organisation
    agency: Organisation
    dept_a: Organisation
    museum_a: Organisation
    dept_b: Organisation
    museum_b: Organisation
    area_a: Area
    area_b: Area


def build_tree() -> Tree:
    area_a = AreaFactory(code="81", name="Tỉnh An", short_name="An")
    area_b = AreaFactory(code="82", name="Tỉnh Bình", short_name="Bình")
    ministry = make_org("BO", kind=Organisation.Kind.MINISTRY, name="Bộ Thử")
    agency = make_org("CUC", parent=ministry, kind=Organisation.Kind.AGENCY, name="Cục Di sản Thử")
    dept_a = make_org("SO-A", parent=ministry, area=area_a, name="Sở An")
    museum_a = make_org("SO-A-BT", parent=dept_a, kind=Organisation.Kind.MUSEUM, area=area_a, name="Bảo tàng An")
    dept_b = make_org("SO-B", parent=ministry, area=area_b, name="Sở Bình")
    museum_b = make_org("SO-B-BT", parent=dept_b, kind=Organisation.Kind.MUSEUM, area=area_b, name="Bảo tàng Bình")
    return Tree(ministry, agency, dept_a, museum_a, dept_b, museum_b, area_a, area_b)


ROLE_HOME = {
    Role.SYSTEM_ADMIN: "ministry",
    Role.MINISTRY_LEADER: "ministry",
    Role.MINISTRY_OFFICER: "ministry",
    Role.DEPARTMENT_LEADER: "dept_a",
    Role.DEPARTMENT_OFFICER: "dept_a",
    Role.UNIT_STAFF: "museum_a",
    Role.APPLICANT: "ministry",
}


def issue_token(user: User, *, name: str = "t", days: int | None = None):
    """An API token for `user`, as if they had just entered their password (see accounts.reauth)."""
    from django.utils import timezone

    from vhttdl.core.accounts.services import api_token_create

    return api_token_create(actor=user, user=user, name=name, days=days, password_confirmed_at=timezone.now())


def current_version(obj) -> int:
    """The version stored now: what a caller that has just read `obj` sends with its write."""
    return type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)
