"""Demo organisations below each department and one demo person per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from vhttdl.core.accounts.models import Grant, User
from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Area, Organisation
from vhttdl.core.units.services import organisation_build

DEMO_PASSWORD = "vhttdl-demo-2025"  # noqa: S105 - printed at start; demo only


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: str
    unit_code: str


DEMO_PEOPLE = [
    DemoPerson("quantri", "Nguyễn Văn Quản", Role.SYSTEM_ADMIN, "BVHTTDL"),
    DemoPerson("lanhdaobo", "Trần Thị Lan", Role.MINISTRY_LEADER, "BVHTTDL"),
    DemoPerson("chuyenvienbo", "Lê Minh Tuấn", Role.MINISTRY_OFFICER, "BVHTTDL"),
    DemoPerson("lanhdaoso", "Phạm Thu Hà", Role.DEPARTMENT_LEADER, "SO-08"),
    DemoPerson("chuyenvienso", "Hoàng Đức Anh", Role.DEPARTMENT_OFFICER, "SO-08"),
    DemoPerson("chuyenvienso2", "Vũ Thị Mai", Role.DEPARTMENT_OFFICER, "SO-01"),
    DemoPerson("canbo", "Đỗ Quang Huy", Role.UNIT_STAFF, "SO-08-BT"),
    DemoPerson("nguoidan", "Ngô Thị Bình", Role.APPLICANT, "BVHTTDL"),
]

UNIT_TEMPLATES = [
    ("BT", Organisation.Kind.MUSEUM, "Bảo tàng {place}", "{place} Museum"),
    ("TV", Organisation.Kind.LIBRARY, "Thư viện {place}", "{place} Library"),
    ("TT", Organisation.Kind.SPORTS_CENTRE, "Trung tâm Huấn luyện và Thi đấu thể thao {place}",
     "{place} Sports Training and Competition Centre"),
]


def _place(area: Area) -> str:
    short = area.short_name or area.name
    return f"tỉnh {short}" if area.division_type == "tỉnh" else f"thành phố {short}"


@transaction.atomic
def load_demo_units() -> int:
    created = 0
    existing = set(Organisation.objects.values_list("code", flat=True))
    departments = Organisation.objects.filter(
        kind=Organisation.Kind.DEPARTMENT, valid_to__isnull=True, code__startswith="SO-"
    ).select_related("area")
    for dept in departments:
        place = _place(dept.area)
        place_en = dept.area.short_name or dept.area.name
        for suffix, kind, name, name_en in UNIT_TEMPLATES:
            code = f"{dept.code}-{suffix}"
            if code not in existing:
                organisation_build(code=code, name=name.format(place=place), name_en=name_en.format(place=place_en),
                                   kind=kind, parent=dept, area=dept.area, valid_from=dept.valid_from)
                created += 1
    return created


@transaction.atomic
def load_demo_people() -> list[DemoPerson]:
    units = {o.code: o for o in Organisation.objects.filter(code__in=[p.unit_code for p in DEMO_PEOPLE])}
    for person in DEMO_PEOPLE:
        user, made = User.objects.get_or_create(
            username=person.username,
            defaults={"full_name": person.full_name, "email": f"{person.username}@demo.vhttdl.local"},
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            if person.role == Role.SYSTEM_ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        Grant.objects.get_or_create(user=user, role=person.role, organisation=units[person.unit_code])
    return DEMO_PEOPLE
