"""OpenAPI shapes of /api/v1/dataValueSets (the views read and write the bodies themselves)."""

from __future__ import annotations

from ninja import Schema


class ImportCountOut(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class ConflictOut(Schema):
    object: str
    value: str
    indexes: list[int] | None = None


class ImportSummaryOut(Schema):
    responseType: str
    status: str
    dryRun: bool
    description: str
    importCount: ImportCountOut
    conflicts: list[ConflictOut]
    conflictCount: int
    submitted: int


_SCHEMES = ["UID", "CODE", "NAME"]
_DATA_VALUE = {
    "type": "object",
    "properties": {
        "dataElement": {"type": "string"}, "period": {"type": "string"}, "orgUnit": {"type": "string"},
        "categoryOptionCombo": {"type": "string"}, "value": {}, "comment": {"type": "string"},
        "deleted": {"type": "boolean"},
    },
}

#: The request body and query parameters of the import, for the OpenAPI document.
IMPORT_BODY = {
    "parameters": [
        {"in": "query", "name": "dryRun", "required": False, "schema": {"type": "boolean"}},
        {"in": "query", "name": "format", "required": False, "schema": {"enum": ["json", "csv", "adx"]}},
        {"in": "query", "name": "idScheme", "required": False, "schema": {"enum": _SCHEMES}},
        {"in": "query", "name": "dataElementIdScheme", "required": False, "schema": {"enum": _SCHEMES}},
        {"in": "query", "name": "orgUnitIdScheme", "required": False, "schema": {"enum": _SCHEMES}},
        {"in": "query", "name": "importStrategy", "required": False,
         "schema": {"enum": ["CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE"]}},
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "type": "object",
                "properties": {
                    "dataSet": {"type": "string"}, "period": {"type": "string"}, "orgUnit": {"type": "string"},
                    "completeDate": {"type": "string"}, "dataValues": {"type": "array", "items": _DATA_VALUE},
                },
            }},
            "application/csv": {"schema": {"type": "string"}},
            "application/adx+xml": {"schema": {"type": "string"}},
        },
    },
}
