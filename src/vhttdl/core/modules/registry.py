"""Collect every installed app's `module.py` (its `MODULE`), in INSTALLED_APPS order.

Read once, after the app registry is ready, and kept; `reset()` forgets it (tests that install a
module of their own).
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from typing import Any

from django.apps import apps

from vhttdl.core.modules.types import HomeCard, Module, NavEntry, OutboxDestination, SearchKind


@cache
def modules() -> tuple[Module, ...]:
    found: list[Module] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        if importlib.util.find_spec(name) is None:
            continue
        module = getattr(importlib.import_module(name), "MODULE", None)
        if not isinstance(module, Module):
            raise TypeError(f"{name}.MODULE must be a vhttdl.core.modules.Module")
        found.append(module)
    return tuple(found)


def reset() -> None:
    modules.cache_clear()
    role_actions.cache_clear()
    search_kinds.cache_clear()
    outbox_destinations.cache_clear()


@cache
def role_actions() -> dict[str, frozenset[str]]:
    """Role → every action modules give it."""
    table: dict[str, set[str]] = {}
    for module in modules():
        for role, actions in module.role_actions.items():
            table.setdefault(str(role), set()).update(actions)
    return {role: frozenset(actions) for role, actions in table.items()}


def all_actions() -> dict[str, Any]:
    """Every action any module defines → its label."""
    labels: dict[str, Any] = {}
    for module in modules():
        labels.update(module.actions)
    return labels


def navigation() -> list[NavEntry]:
    entries = [entry for module in modules() for entry in module.navigation]
    return sorted(entries, key=lambda entry: entry.order)


def home_cards(*, actor: Any) -> list[HomeCard]:
    return [card for module in modules() for provider in module.home_cards for card in provider(actor=actor)]


@cache
def search_kinds() -> dict[str, SearchKind]:
    return {kind.kind: kind for module in modules() for kind in module.search_kinds}


def search_providers() -> list[tuple[str, Any]]:
    """(module label, provider) for every app that puts documents in the search index."""
    return [(module.label, provider) for module in modules() for provider in module.search_providers]


def search_labels() -> tuple[str, ...]:
    """Labels of the modules whose content is in the search index (a search answer changes with them)."""
    return tuple(dict.fromkeys(label for label, _provider in search_providers()))


def audit_actions() -> dict[str, tuple[Any, Any]]:
    """Every audit action code any module declares → (the module's name people read, the action's label).

    The module's name is its first navigation entry's label ("Báo cáo"), else its code label.
    """
    return {
        code: (module.navigation[0].label if module.navigation else module.label, label)
        for module in modules()
        for code, label in module.audit_actions.items()
    }


def audit_action_label(code: str) -> Any:
    """The label of an audit action code; the code itself when no module declares it."""
    found = audit_actions().get(code)
    return found[1] if found else code


def api_routers() -> list[tuple[str, str]]:
    return [router for module in modules() for router in module.api_routers]


@cache
def outbox_destinations() -> dict[str, OutboxDestination]:
    """Destination name → the destination, from every module; a name declared twice is an error."""
    found: dict[str, OutboxDestination] = {}
    for module in modules():
        for destination in module.outbox_destinations:
            if destination.name in found:
                raise ValueError(f"outbox destination {destination.name!r} is declared twice")
            found[destination.name] = destination
    return found
