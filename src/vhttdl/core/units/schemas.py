from datetime import date

from ninja import Schema


class AreaOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    division_type: str
    parent_code: str | None = None
    valid_from: date | None
    valid_to: date | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class AreaAsOfOut(Schema):
    area: AreaOut
    resolved_on: date
    becomes: list[AreaOut]


class OrganisationOut(Schema):
    code: str
    uid: str
    name: str
    name_en: str
    short_name: str
    kind: str
    parent_code: str | None = None
    area_code: str | None = None
    depth: int
    valid_from: date | None
    valid_to: date | None
    version: int

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_area_code(obj) -> str | None:
        return obj.area.code if obj.area_id else None


class OrganisationIn(Schema):
    code: str
    name: str
    kind: str
    parent_code: str
    name_en: str = ""
    short_name: str = ""
    area_code: str | None = None


class OrganisationPatch(Schema):
    version: int
    name: str | None = None
    name_en: str | None = None
    short_name: str | None = None


class OrganisationMoveIn(Schema):
    version: int
    new_parent_code: str


class OrganisationCloseIn(Schema):
    version: int
    on: date | None = None
    successor_codes: list[str] = []
