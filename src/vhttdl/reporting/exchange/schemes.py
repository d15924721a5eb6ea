"""DHIS2's identifier schemes and import strategies for dataValueSets.

`idScheme` names the property that identifies every object of a request; `dataElementIdScheme`,
`orgUnitIdScheme`, `categoryOptionComboIdScheme` and `dataSetIdScheme` override it for one kind of
object (as in DHIS2's IdSchemes). Supported: `UID` (DHIS2's 11-character identifier; `ID` is read
as UID), `CODE` (our default, unlike DHIS2's UID) and `NAME`. `ATTRIBUTE:<uid>` and anything else
are refused with a 400 that says which schemes exist.

`importStrategy`: `CREATE_AND_UPDATE` (default; `NEW_AND_UPDATES`), `CREATE` (`NEW`: only values
not stored yet), `UPDATE` (`UPDATES`: only values already stored), `DELETE` (`DELETES`: every
value listed is removed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput
from vhttdl.core.units.models import Organisation
from vhttdl.reporting.exchange.formats import ExportValue, RawValue
from vhttdl.reporting.models import CategoryOptionCombo, DataElement, ReportForm

UID, CODE, NAME = "UID", "CODE", "NAME"
SCHEMES = (UID, CODE, NAME)
SCHEME_ALIASES = {"ID": UID}

CREATE_AND_UPDATE, CREATE, UPDATE, DELETE = "CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"
STRATEGIES = (CREATE_AND_UPDATE, CREATE, UPDATE, DELETE)
STRATEGY_ALIASES = {"NEW_AND_UPDATES": CREATE_AND_UPDATE, "NEW": CREATE, "UPDATES": UPDATE, "DELETES": DELETE}

SCHEME_PARAMETERS = ("dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme", "dataSetIdScheme")


@dataclass(frozen=True)
class IdSchemes:
    data_element: str = CODE
    org_unit: str = CODE
    option_combo: str = CODE
    data_set: str = CODE

    @property
    def all_codes(self) -> bool:
        return self.data_element == self.org_unit == self.option_combo == self.data_set == CODE


def parse_scheme(name: str, raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().upper()
    value = SCHEME_ALIASES.get(value, value)
    if value in SCHEMES:
        return value
    if value.startswith("ATTRIBUTE:"):
        reason = _("%(name)s=%(value)s: định danh theo thuộc tính (ATTRIBUTE) chưa được hỗ trợ; dùng UID, CODE "
                   "hoặc NAME.")
    else:
        reason = _("%(name)s=%(value)s không hợp lệ; dùng UID, CODE hoặc NAME.")
    raise InvalidInput(reason % {"name": name, "value": raw.strip()[:60]}, code="unsupported_id_scheme",
                       details={"parameter": name, "supported": list(SCHEMES)})


def schemes_from(params: Any) -> IdSchemes:
    """The schemes of a request's query parameters (a QueryDict or a dict)."""
    general = parse_scheme("idScheme", params.get("idScheme")) or CODE
    specific = [parse_scheme(name, params.get(name)) or general for name in SCHEME_PARAMETERS]
    return IdSchemes(*specific)


def strategy_from(params: Any) -> str:
    raw = (params.get("importStrategy") or "").strip()
    if not raw:
        return CREATE_AND_UPDATE
    value = STRATEGY_ALIASES.get(raw.upper(), raw.upper())
    if value not in STRATEGIES:
        raise InvalidInput(
            _("importStrategy=%(value)s không hợp lệ; dùng CREATE_AND_UPDATE, CREATE, UPDATE hoặc DELETE.")
            % {"value": raw[:60]}, code="bad_import_strategy", details={"supported": list(STRATEGIES)},
        )
    return value


# --- identifiers → codes (import) and codes → identifiers (export) ------------------------------------


def _field(model: type[Model], scheme: str) -> str:
    if scheme == NAME and model is ReportForm:
        return "title"  # a report form's NAME is its title
    return {UID: "uid", NAME: "name", CODE: "code"}[scheme]


def _to_codes(model: type[Model], scheme: str, identifiers: set[str]) -> tuple[dict[str, str], set[str]]:
    """{identifier: code} for the identifiers found, and the names that several objects carry."""
    if scheme == CODE or not identifiers:
        return {}, set()
    field = _field(model, scheme)
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for identifier, code in model.objects.filter(**{f"{field}__in": identifiers}).values_list(field, "code"):
        if identifier in found and found[identifier] != code:
            ambiguous.add(identifier)
        found[identifier] = code
    for identifier in ambiguous:
        del found[identifier]
    return found, ambiguous


def translate(values: list[RawValue], schemes: IdSchemes) -> list[tuple[RawValue, str, str]]:
    """Rewrite each value's identifiers as codes, in place. Returns (value, identifier, reason) for the
    values whose NAME matches several objects (the caller leaves them out, as conflicts).

    An identifier that matches nothing is left as written: the import reports it as unknown.
    """
    if schemes.all_codes or not values:
        return []
    elements, ambiguous_de = _to_codes(DataElement, schemes.data_element, {v.data_element for v in values})
    orgs, ambiguous_ou = _to_codes(Organisation, schemes.org_unit, {v.org_unit for v in values})
    combos, ambiguous_coc = _to_codes(CategoryOptionCombo, schemes.option_combo,
                                      {v.option_combo for v in values if v.option_combo})
    forms, ambiguous_ds = _to_codes(ReportForm, schemes.data_set, {v.data_set for v in values if v.data_set})
    refused = []
    several = _("Tên «%(name)s» trùng với nhiều đối tượng; hãy dùng idScheme=CODE hoặc UID.")
    for v in values:
        for identifier, ambiguous in ((v.data_element, ambiguous_de), (v.org_unit, ambiguous_ou),
                                      (v.option_combo, ambiguous_coc), (v.data_set, ambiguous_ds)):
            if identifier and identifier in ambiguous:
                refused.append((v, identifier, several % {"name": identifier}))
                break
        v.data_element = elements.get(v.data_element, v.data_element)
        v.org_unit = orgs.get(v.org_unit, v.org_unit)
        if v.option_combo:
            v.option_combo = combos.get(v.option_combo, v.option_combo)
        if v.data_set:
            v.data_set = forms.get(v.data_set, v.data_set)
    return refused


def _from_codes(model: type[Model], scheme: str, codes: set[str]) -> dict[str, str]:
    if scheme == CODE or not codes:
        return {}
    return dict(model.objects.filter(code__in=codes).values_list("code", _field(model, scheme)))


def relabel(rows: list[ExportValue], schemes: IdSchemes) -> list[ExportValue]:
    """Export rows with their identifiers in the requested schemes (codes unchanged when CODE)."""
    if schemes.all_codes or not rows:
        return rows
    de = _from_codes(DataElement, schemes.data_element, {r.data_element for r in rows})
    ou = _from_codes(Organisation, schemes.org_unit, {r.org_unit for r in rows})
    coc = _from_codes(CategoryOptionCombo, schemes.option_combo, {r.option_combo for r in rows})
    ds = _from_codes(ReportForm, schemes.data_set, {r.data_set for r in rows})
    return [
        replace(r, data_element=de.get(r.data_element, r.data_element), org_unit=ou.get(r.org_unit, r.org_unit),
                option_combo=coc.get(r.option_combo, r.option_combo), data_set=ds.get(r.data_set, r.data_set))
        for r in rows
    ]
