"""The outbox's entry in the navigation (for Django admin users; officers reach it from their app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vhttdl.core.modules import Module, NavEntry
from vhttdl.core.modules.types import STAFF

MODULE = Module(
    label="outbox",
    navigation=(NavEntry(_("Hộp thư đi"), "outbox:list", STAFF, "outbox", order=890),),
)
