"""Reporting analytics: the DHIS2-style /api/v1/analytics (its pages are under the reporting menu)."""

from __future__ import annotations

from vhttdl.core.modules import Module

MODULE = Module(label="analytics", api_routers=(("/", "vhttdl.reporting.analytics.api.router"),))
