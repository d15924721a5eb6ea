"""The change log as people read it: actions in words, fields by their names, a before → after table.

An entry stores codes and raw values (`reporting.submission_accept`, {"status": "approved"}); here
they become "Bộ tiếp nhận báo cáo" and "Trạng thái: Cấp trên đã duyệt → Bộ đã tiếp nhận". Action
labels come from the modules (`Module.audit_actions`), field names and choices from the model
named by the entry's object type. Nothing here queries more than the models' metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vhttdl.core.audit.models import AuditEntry
from vhttdl.core.modules import registry

MAX_TEXT = 300  # a value longer than this is cut in the page (the export keeps it whole)
SHOWN_CHANGES = 8  # more changed fields than this fold under "more"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class EntryView:
    entry: AuditEntry
    action_label: str
    object_label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def shown(self) -> list[Change]:
        return self.changes[:SHOWN_CHANGES]

    @property
    def folded(self) -> list[Change]:
        return self.changes[SHOWN_CHANGES:]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _fields(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    found: dict[str, Any] = {}  # name and attname → the model's field (or relation)
    for f in model._meta.get_fields():
        if getattr(f, "concrete", False) or isinstance(f, models.ManyToManyField):
            found[f.name] = f
            found[getattr(f, "attname", f.name)] = f
    return found


# Keys that services write beside model fields.
def _extra_labels() -> dict[str, str]:
    return {
        "cells": pgettext("audit field", "Ô số liệu"),
        "reason": pgettext("audit field", "Lý do"),
        "version": pgettext("audit field", "Phiên bản"),
        "status": pgettext("audit field", "Trạng thái"),
        "day": pgettext("audit field", "Ngày"),
        "to": pgettext("audit field", "Gửi tới"),
        "submissions": pgettext("audit field", "Số báo cáo"),
        "values": pgettext("audit field", "Số giá trị"),
        "events": pgettext("audit field", "Số thao tác"),
    }


def _label(key: str, fields: dict[str, models.Field]) -> str:
    f = fields.get(key)
    name = str(getattr(f, "verbose_name", "") or _extra_labels().get(key) or key.replace("_", " "))
    return name[:1].upper() + name[1:]


def value_text(value: Any, f: models.Field | None = None, *, limit: int | None = MAX_TEXT) -> str:
    """A stored value in words: choices by their label, yes/no, lists joined, cell changes as old → new."""
    if value is None or value == "":
        return "—"
    if f is not None and getattr(f, "choices", None) and not isinstance(value, (list, dict)):
        labels = {str(k): str(v) for k, v in f.flatchoices}
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(value, bool):
        return pgettext("audit value", "Có") if value else pgettext("audit value", "Không")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "new" in v for v in value):
            text = "; ".join(_cell(v) for v in value)
        else:
            text = ", ".join(value_text(v, f, limit=None) for v in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {value_text(v, limit=None)}" for k, v in value.items())
    else:
        text = str(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _cell(change: dict) -> str:
    where = "/".join(str(change[k]) for k in ("element", "combo") if change.get(k))
    old = change.get("old")
    return f"{where}: {'—' if old in (None, '') else old} → {'—' if change.get('new') in (None, '') else change['new']}"


def changes_of(entry: AuditEntry, *, limit: int | None = MAX_TEXT) -> list[Change]:
    """The fields an entry changed, each with its name, value before and value after."""
    fields = _fields(_model(entry.object_type))
    before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else {"": entry.before})
    after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
    rows = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        if key not in before and new in (None, "", [], {}):
            continue
        f = fields.get(key)
        label = _label(key, fields) if key else pgettext("audit field", "Giá trị")
        rows.append(Change(label, value_text(old, f, limit=limit), value_text(new, f, limit=limit)))
    return rows


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    if model is None:
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def present(entries) -> list[EntryView]:
    return [
        EntryView(e, str(registry.audit_action_label(e.action)), object_type_label(e.object_type), changes_of(e))
        for e in entries
    ]


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The action picker: (module, [(code, label)]), labels in Vietnamese order."""
    from vhttdl.core.text import sort_vi

    groups: dict[str, list[tuple[str, str]]] = {}
    for code, (module, label) in registry.audit_actions().items():
        groups.setdefault(str(module), []).append((code, str(label)))
    return [(module, sort_vi(items, key=lambda i: i[1])) for module, items in groups.items()]


def export_rows(entries) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the CSV and Excel exports (values whole, not cut)."""
    from vhttdl.core.text.safety import export_cell

    header = [_("Số thứ tự"), _("Thời điểm"), _("Người thực hiện"), _("Thao tác"), _("Mã thao tác"),
              _("Đối tượng"), _("Loại đối tượng"), _("Thay đổi"), _("Địa chỉ IP")]
    rows = []
    for e in entries:
        changes = "\n".join(f"{c.label}: {c.before} → {c.after}" for c in changes_of(e, limit=None))
        rows.append([e.seq, timezone.localtime(e.at).replace(tzinfo=None) if e.at else None, export_cell(e.actor_name),
                     export_cell(str(registry.audit_action_label(e.action))), export_cell(e.action),
                     export_cell(e.object_repr or e.object_id), export_cell(object_type_label(e.object_type)),
                     export_cell(changes), e.ip or ""])
    return header, rows
