"""The public landing page: a top-floor app that composes what the domain apps publish.

It adds nothing to the staff navigation or the role table; it owns the front door (`/`) for visitors.
"""

from __future__ import annotations

from vhttdl.core.modules import Module

MODULE = Module(label="portal")
