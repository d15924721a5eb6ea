"""/api/v1/units: areas (with their history) and the organisation tree."""


from datetime import date

from ninja import Router
from ninja.pagination import paginate

from vhttdl.core.accounts.roles import Action
from vhttdl.core.units import selectors, services
from vhttdl.core.units.history import today
from vhttdl.core.units.models import Area
from vhttdl.core.units.schemas import (
    AreaAsOfOut,
    AreaOut,
    OrganisationCloseIn,
    OrganisationIn,
    OrganisationMoveIn,
    OrganisationOut,
    OrganisationPatch,
)

router = Router(tags=["units"])


@router.get("/areas", response=list[AreaOut])
@paginate
def list_areas(request, level: str = Area.Level.PROVINCE, on: date | None = None, parent: str | None = None,
               q: str | None = None):
    return selectors.area_list(level=level, on=on, parent_code=parent, q=q).select_related("parent")


@router.get("/areas/{code}/as-of", response=AreaAsOfOut)
def area_as_of(request, code: str, valid_on: date, level: str = Area.Level.PROVINCE, on: date | None = None):
    """What the area that carried `code` on `valid_on` is on `on` (default today)."""
    area, becomes = selectors.area_as_of(code, level=level, valid_on=valid_on, resolve_on=on)
    return {"area": area, "resolved_on": on or today(), "becomes": becomes}


@router.get("/organisations", response=list[OrganisationOut])
@paginate
def list_organisations(request, kind: str | None = None, q: str | None = None, include_closed: bool = False,
                       parent: str | None = None):
    parent_obj = selectors.get_organisation_for_actor(request.auth, parent) if parent else None
    return selectors.organisation_list(
        actor=request.auth, parent=parent_obj, kind=kind, q=q, include_closed=include_closed
    )


@router.get("/organisations/{code}", response=OrganisationOut)
def get_organisation(request, code: str):
    return selectors.get_organisation_for_actor(request.auth, code)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    parent = selectors.get_organisation_for_actor(request.auth, payload.parent_code, Action.UNITS_MANAGE)
    area = selectors.get_area(payload.area_code) if payload.area_code else None
    return 201, services.organisation_create(
        actor=request.auth, code=payload.code, name=payload.name, kind=payload.kind, parent=parent, area=area,
        name_en=payload.name_en, short_name=payload.short_name,
    )


@router.patch("/organisations/{code}", response=OrganisationOut)
def update_organisation(request, code: str, payload: OrganisationPatch):
    organisation = selectors.get_organisation_for_actor(request.auth, code, Action.UNITS_MANAGE)
    changes = payload.dict(exclude={"version"}, exclude_none=True)
    return services.organisation_update(
        actor=request.auth, organisation=organisation, version=payload.version, **changes
    )


@router.post("/organisations/{code}/move", response=OrganisationOut)
def move_organisation(request, code: str, payload: OrganisationMoveIn):
    organisation = selectors.get_organisation_for_actor(request.auth, code, Action.UNITS_MANAGE)
    new_parent = selectors.get_organisation_for_actor(request.auth, payload.new_parent_code, Action.UNITS_MANAGE)
    return services.organisation_move(
        actor=request.auth, organisation=organisation, new_parent=new_parent, version=payload.version
    )


@router.post("/organisations/{code}/close", response=OrganisationOut)
def close_organisation(request, code: str, payload: OrganisationCloseIn):
    organisation = selectors.get_organisation_for_actor(request.auth, code, Action.UNITS_MANAGE)
    successors = [selectors.get_organisation_for_actor(request.auth, c) for c in payload.successor_codes]
    return services.organisation_close(
        actor=request.auth, organisation=organisation, on=payload.on, successors=successors,
        version=payload.version,
    )
