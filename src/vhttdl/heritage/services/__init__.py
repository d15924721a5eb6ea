"""Every write to heritage records, one module per entity; `from vhttdl.heritage.services import X` works.

- `sites`: create, update, translations, ranking decisions;
- `intangible`: intangible heritage and its inscription decisions;
- `festivals`: festivals;
- `media`: images, documents and links of any record;
- `records`: what the three kinds share (publish, unpublish, delete, the create/update steps);
- `validation`: field checks; `search`: the search documents; `common`: snapshots and `_revise`.

Each service checks the policy, runs in one transaction, bumps `version` (optimistic locking: a
stale `version` raises Conflict → 409), stores a numbered revision (core.revisions), writes an
audit entry, and updates the platform search inside the same transaction.
"""

from vhttdl.heritage.services.common import Record, kind_of, record_snapshot
from vhttdl.heritage.services.festivals import FESTIVAL_FIELDS, festival_create, festival_update
from vhttdl.heritage.services.intangible import (
    INTANGIBLE_FIELDS,
    inscription_add,
    intangible_create,
    intangible_update,
)
from vhttdl.heritage.services.media import (
    media_add_document,
    media_add_image,
    media_add_link,
    media_delete,
)
from vhttdl.heritage.services.records import record_delete, record_publish, record_unpublish
from vhttdl.heritage.services.search import (
    index_records,
    public_url,
    public_url_builder,
    search_document,
    search_documents,
)
from vhttdl.heritage.services.sites import (
    SITE_FIELDS,
    TRANSLATION_LANGUAGES,
    ranking_decision_add,
    ranking_decision_remove,
    site_create,
    site_translation_set,
    site_update,
)
from vhttdl.heritage.services.validation import validate_festival, validate_intangible, validate_site

__all__ = [
    "FESTIVAL_FIELDS",
    "INTANGIBLE_FIELDS",
    "SITE_FIELDS",
    "TRANSLATION_LANGUAGES",
    "Record",
    "festival_create",
    "festival_update",
    "index_records",
    "inscription_add",
    "intangible_create",
    "intangible_update",
    "kind_of",
    "media_add_document",
    "media_add_image",
    "media_add_link",
    "media_delete",
    "public_url",
    "public_url_builder",
    "ranking_decision_add",
    "ranking_decision_remove",
    "record_delete",
    "record_publish",
    "record_snapshot",
    "record_unpublish",
    "search_document",
    "search_documents",
    "site_create",
    "site_translation_set",
    "site_update",
    "validate_festival",
    "validate_intangible",
    "validate_site",
]
