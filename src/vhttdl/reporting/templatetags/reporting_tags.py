"""Template helpers of the reporting pages: which links a person may follow."""

from __future__ import annotations

from django import template

from vhttdl.reporting import permissions

register = template.Library()


@register.filter
def can_design_reports(user) -> bool:
    return permissions.can_design(user)
