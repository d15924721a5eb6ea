"""Where `search_reindex` gets every module's documents: each module's `search_providers`.

A provider is a function of the owning module (named in its `module.py`) that yields
`index_document` keyword arguments for all of its searchable objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from vhttdl.core.modules import registry

Provider = Callable[[], Iterable[dict[str, Any]]]


def providers() -> list[tuple[str, Provider]]:
    """(name shown in the command's output, provider) for every installed module's providers."""
    return [(f"{label}.{getattr(provider, '__name__', 'provider')}", provider)
            for label, provider in registry.search_providers()]
