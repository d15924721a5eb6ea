"""The registry through which apps plug into the platform.

Each installed app may have a `module.py` with one `MODULE = Module(...)`: what it adds to the
navigation, the home page, the search index, the role table and the API. `core.modules.registry`
reads those from INSTALLED_APPS, in order, without naming any app; core asks the registry instead of
importing apps. See docs/architecture.md for a worked example.
"""

from vhttdl.core.modules.types import (
    HomeCard,
    Module,
    NavEntry,
    OutboxDelivery,
    OutboxDestination,
    OutboxRetryPolicy,
    OutboxSubject,
    SearchKind,
)

__all__ = [
    "HomeCard",
    "Module",
    "NavEntry",
    "OutboxDelivery",
    "OutboxDestination",
    "OutboxRetryPolicy",
    "OutboxSubject",
    "SearchKind",
]
