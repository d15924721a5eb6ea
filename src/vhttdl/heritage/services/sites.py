"""Sites (relics and scenic spots): create, update, translations, ranking decisions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput, check_version
from vhttdl.core.text.safety import reject_control_characters
from vhttdl.heritage import permissions
from vhttdl.heritage.models import RankingDecision, Site, SiteRank, SiteTranslation
from vhttdl.heritage.services.common import _lock, _revise, record_snapshot
from vhttdl.heritage.services.records import _create, _update
from vhttdl.heritage.services.validation import validate_site

SITE_FIELDS = (
    "code",
    "name",
    "other_names",
    "rank",
    "site_type",
    "province",
    "commune",
    "address",
    "latitude",
    "longitude",
    "location_approximate",
    "area_geojson",
    "zone1_geojson",
    "zone1_description",
    "zone2_geojson",
    "zone2_description",
    "condition",
    "condition_note",
    "description",
    "history",
    "directions",
    "unesco_status",
    "unesco_year",
    "organisation",
)
TRANSLATION_LANGUAGES = ("en", "fr", "zh", "ja", "ko", "ru", "de", "es", "km", "lo")


def site_create(*, actor: Any, data: dict[str, Any], publish: bool = False) -> Site:
    """Create a site from field values (Area instances for province/commune, optional `organisation`)."""
    with transaction.atomic():
        site = _create(
            actor=actor, model=Site, data=data, allowed=SITE_FIELDS, validate=validate_site, publish=publish
        )
        _revise(actor=actor, record=site, action="created", before=None)
    return site


def site_update(*, actor: Any, site: Site, data: dict[str, Any], version: int | None) -> Site:
    """Change a site's fields; `version` is the one the editor read (stale → Conflict 409)."""
    with transaction.atomic():
        site, before = _update(
            actor=actor, record=site, data=data, version=version, allowed=SITE_FIELDS, validate=validate_site
        )
        _revise(actor=actor, record=site, action="updated", before=before)
    return site


def site_translation_set(
    *,
    actor: Any,
    site: Site,
    language: str,
    name: str = "",
    description: str = "",
    history: str = "",
    directions: str = "",
    version: int | None = None,
) -> Site:
    """Set (or clear, when every text is empty) a site's texts in another language."""
    language = (language or "").strip().lower()
    if language not in TRANSLATION_LANGUAGES:
        raise InvalidInput(
            _("Ngôn ngữ không được hỗ trợ: %(code)s") % {"code": language[:10]}, code="bad_language"
        )
    for field, text in (("name", name), ("description", description), ("history", history),
                        ("directions", directions)):
        reject_control_characters(text, field=field)
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        check_version(site, version)
        before = record_snapshot(site)
        texts = {
            "name": name.strip(),
            "description": description.strip(),
            "history": history.strip(),
            "directions": directions.strip(),
        }
        if any(texts.values()):
            SiteTranslation.objects.update_or_create(site=site, language=language, defaults=texts)
        else:
            SiteTranslation.objects.filter(site=site, language=language).delete()
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="translated", before=before)
    return site


def ranking_decision_add(
    *,
    actor: Any,
    site: Site,
    number: str,
    decided_on,
    issuer: str = "",
    rank: str,
    note: str = "",
    version: int | None = None,
) -> RankingDecision:
    if rank not in SiteRank.values:
        raise InvalidInput(_("Cấp xếp hạng không hợp lệ."), code="bad_rank")
    if not (number or "").strip():
        raise InvalidInput(_("Cần nhập số quyết định."), code="missing_number")
    for field, text in (("number", number), ("issuer", issuer), ("note", note)):
        reject_control_characters(text, field=field)
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        check_version(site, version)
        before = record_snapshot(site)
        decision = RankingDecision.objects.create(
            site=site,
            number=number.strip(),
            decided_on=decided_on,
            issuer=issuer.strip(),
            rank=rank,
            note=note.strip(),
        )
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="decision_added", before=before)
    return decision


def ranking_decision_remove(*, actor: Any, decision: RankingDecision) -> None:
    site = decision.site
    permissions.require_edit(actor, site)
    with transaction.atomic():
        site = _lock(site)
        before = record_snapshot(site)
        RankingDecision.objects.filter(pk=decision.pk, site=site).delete()
        site.version += 1
        site.save(update_fields=["version", "updated_at"])
        _revise(actor=actor, record=site, action="decision_removed", before=before)
