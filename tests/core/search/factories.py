"""Search documents for tests, indexed through the real service."""

from __future__ import annotations

from itertools import count

from vhttdl.core.search.services import index_document

_ids = count(1)


def doc(title: str, body: str = "", *, kind: str = "heritage.site", object_id: str | int | None = None,
        **kwargs) -> str:
    """Index one document and return its object id."""
    object_id = str(object_id if object_id is not None else next(_ids))
    kwargs.setdefault("url", f"/heritage/sites/{object_id}/")
    index_document(kind=kind, object_id=object_id, title=title, body=body, **kwargs)
    return object_id
