"""Template helpers shared by every module."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, attr: str = "name") -> str:
    """`obj.<attr>_en` on English pages when it is filled, else `obj.<attr>` (Vietnamese)."""
    if obj is None:
        return ""
    language = get_language() or ""
    if language.startswith("en"):
        english = getattr(obj, f"{attr}_en", "")
        if english:
            return english
    return getattr(obj, attr, "")
