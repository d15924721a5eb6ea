"""One generation number per app label: moved on when the app's content changes."""

from __future__ import annotations

import time

from django.core.cache import caches

CACHE_ALIAS = "pages"
_PREFIX = "pagegen:"


def generation_key(label: str) -> str:
    return _PREFIX + label


def content_changed(label: str) -> None:
    """Pages that show `label`'s content are stale from now on, in every web process."""
    cache = caches[CACHE_ALIAS]
    key = generation_key(label)
    try:
        cache.incr(key)
    except ValueError:
        # Never set (or evicted): start from the clock, so a generation never comes back.
        cache.set(key, time.time_ns(), timeout=None)


def current_generations(cache, labels: tuple[str, ...], values: dict) -> tuple[int, ...]:
    """The generations of `labels` from an already fetched `values` dict; missing ones are created."""
    found = []
    for label in labels:
        key = generation_key(label)
        value = values.get(key)
        if value is None:
            value = time.time_ns()
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)
        found.append(int(value))
    return tuple(found)


def generation(label: str) -> int:
    """The current generation of one label (one cache read; created when missing)."""
    cache = caches[CACHE_ALIAS]
    key = generation_key(label)
    return current_generations(cache, (label,), {key: cache.get(key)})[0]
