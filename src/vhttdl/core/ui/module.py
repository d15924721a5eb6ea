"""What the shell itself adds: the home page and the Django admin's catalogue pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vhttdl.core.modules import Module, NavEntry
from vhttdl.core.modules.types import STAFF

MODULE = Module(
    label="ui",
    navigation=(
        NavEntry(_("Trang chủ"), "ui:home", None, "", order=0),
        NavEntry(_("Danh mục"), "admin:index", STAFF, "admin", order=900),
    ),
)
