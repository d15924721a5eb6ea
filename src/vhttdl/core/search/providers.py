"""Where `search_reindex` gets every module's documents: named here, in one explicit list.

Each provider is a function of the owning module that yields `index_document` keyword
arguments for all of its searchable objects. A module that is not there yet is skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

PROVIDERS: list[tuple[str, str]] = [
    # (module, function)
    ("vhttdl.heritage.services", "search_documents"),
]


def load_provider(module: str, function: str) -> Callable[[], Iterable[dict[str, Any]]] | None:
    """The provider function, or None when its module or function does not exist (yet)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, function, None)
