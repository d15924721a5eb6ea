"""The grid layout of a form version (and a form's validation rules), built once per web process
instead of on every report page.

A layout (`selectors.form_layout`: sections, rows, their elements, option combos and categories)
costs four queries and is the same for every report of a form version, but the names in it can be
edited (a data element, an option, a category renamed in the designer or the admin). So a stored
layout is keyed by the form version *and* the generation of the reporting metadata, one number
shared by every web process (the `pages` cache: Redis, or files under var/), moved on by every save
or delete of a metadata row (and of the form version's element list). A layout stored under an
older generation is never used again: a page can never show a name that was changed since.

A form's validation rules are kept the same way, under the same generation (a rule saved or
deleted moves it on too).

The generation moves at once (a read later in the same transaction, a test) and again after commit
(a request of another process that read the old rows between the save and the commit).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from vhttdl.core.httpcache.generations import content_changed
from vhttdl.core.httpcache.generations import generation as content_generation

if TYPE_CHECKING:
    from vhttdl.reporting.models import FormVersion, ReportForm, ValidationRule
    from vhttdl.reporting.selectors import FormLayout

LABEL = "reporting.layout"
_LIMIT = 256  # layouts kept per process (a form has one published version; the demo has five forms)
_layouts: dict[tuple[int, int], FormLayout] = {}
_rules: dict[tuple[int, int], list[ValidationRule]] = {}


def generation() -> int:
    """The current generation of the reporting metadata (one cache read)."""
    return content_generation(LABEL)


def metadata_changed(using: str | None = None) -> None:
    """Every stored layout is stale from now on, in every process."""
    content_changed(LABEL)
    transaction.on_commit(lambda: content_changed(LABEL), using=using)


def cached_form_layout(version: FormVersion) -> FormLayout:
    """`selectors.form_layout(version)`, read from this process's store when the metadata is unchanged."""
    from vhttdl.reporting.selectors import form_layout

    key = (version.pk, generation())
    layout = _layouts.get(key)
    if layout is None:
        layout = form_layout(version)
        if len(_layouts) >= _LIMIT:
            _layouts.clear()
        _layouts[key] = layout
    # The caller's own version row (its status may have moved on); the rows are only read.
    return dataclasses.replace(layout, version=version)


def cached_validation_rules(form: ReportForm) -> list[ValidationRule]:
    """The form's validation rules (`selectors.validation_rules_of`), kept like the layouts; only read."""
    from vhttdl.reporting.selectors import validation_rules_of

    key = (form.pk, generation())
    rules = _rules.get(key)
    if rules is None:
        rules = list(validation_rules_of(form))
        if len(_rules) >= _LIMIT:
            _rules.clear()
        _rules[key] = rules
    return rules


def _changed(sender, using=None, **kwargs) -> None:
    metadata_changed(using)


def _m2m_changed(sender, action: str, using=None, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        metadata_changed(using)


def connect() -> None:
    """Hook the receivers to every model a layout is built from (called from the app's `ready`)."""
    from vhttdl.reporting.models import (
        Category,
        CategoryCombo,
        CategoryComboMembership,
        CategoryOption,
        CategoryOptionCombo,
        DataElement,
        FormVersion,
        ValidationRule,
    )

    for model in (Category, CategoryOption, CategoryCombo, CategoryComboMembership, CategoryOptionCombo,
                  DataElement, FormVersion, ValidationRule):
        post_save.connect(_changed, sender=model, dispatch_uid=f"reporting.layout.save.{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reporting.layout.delete.{model.__name__}")
    for through in (CategoryOptionCombo.options.through, FormVersion.data_elements.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"reporting.layout.m2m.{through.__name__}")
