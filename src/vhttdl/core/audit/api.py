"""/api/v1/audit: the change log, by object and by person."""


from datetime import datetime
from typing import Any

from ninja import Router, Schema
from ninja.pagination import paginate

from vhttdl.core.audit.selectors import audit_list

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    ip: str | None = None


@router.get("/entries", response=list[AuditEntryOut])
@paginate
def list_entries(request, object_type: str | None = None, object_id: str | None = None,
                 actor_id: int | None = None, action: str | None = None):
    return audit_list(actor=request.auth, object_type=object_type, object_id=object_id, actor_id=actor_id,
                      action=action)
