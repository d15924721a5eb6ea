"""The platform search: its API. Kinds and documents come from the apps that own them."""

from __future__ import annotations

from vhttdl.core.modules import Module

MODULE = Module(label="search", api_routers=(("/search", "vhttdl.core.search.api.router"),))
