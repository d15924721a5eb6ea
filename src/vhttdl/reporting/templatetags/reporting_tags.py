"""Template helpers of the reporting pages: which links a person may follow."""

from __future__ import annotations

from django import template

from vhttdl.reporting import permissions

register = template.Library()


@register.filter
def can_design_reports(user) -> bool:
    return permissions.can_design(user)


@register.filter
def unit_name(organisation) -> str:
    """The unit's name in the page's language (its English name when there is one)."""
    from django.utils.translation import get_language

    return organisation.display_name(get_language()) if organisation is not None else ""
