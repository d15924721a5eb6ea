"""What an app can contribute, as typed data. One `Module` per app, in its `module.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

STAFF = "staff"  # a navigation entry shown to Django admin users (is_staff), not by action


@dataclass(frozen=True)
class NavEntry:
    """An entry of the main navigation.

    `action` None shows it to every signed-in person; `STAFF` to Django admin users; otherwise to
    people who hold the action somewhere. `section` is matched against the first part of the
    request path to mark the current page; `order` places it among every app's entries.
    """

    label: Any
    url_name: str
    action: str | None
    section: str
    order: int = 100


@dataclass(frozen=True)
class HomeCard:
    """A figure on a person's home page, with the page it leads to."""

    title: str
    value: Any
    hint: str = ""
    url: str = ""


@dataclass(frozen=True)
class SearchKind:
    """A kind of search document (`heritage.site`), its label, and who sees its non-public documents.

    Non-public documents of the kind are seen by people who hold `private_action` (scoped by
    province, see core.search.selectors); with no action, only by superusers.
    """

    kind: str
    label: Any
    private_action: str | None = None


HomeCardsProvider = Callable[..., Iterable[HomeCard]]  # called as provider(actor=...)
SearchDocumentsProvider = Callable[[], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class Module:
    """Everything one app adds to the platform.

    - `actions`: every action the app defines, with a label people read (audit, admin, role table);
    - `role_actions`: which of them each role holds (roles are core's; the system administrator
      holds every action of every module without being listed);
    - `navigation`, `home_cards`: the shell;
    - `search_kinds`, `search_providers`: what the app puts in the platform search;
    - `api_routers`: (prefix, dotted path of a ninja Router), added to the one API at /api/v1;
    - `audit_actions`: the audit log's action codes the app writes (`reporting.submission_accept`),
      each with a label people read ("Bộ tiếp nhận báo cáo"); the change log shows the label.
    """

    label: str
    actions: Mapping[str, Any] = field(default_factory=dict)
    role_actions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    navigation: tuple[NavEntry, ...] = ()
    home_cards: tuple[HomeCardsProvider, ...] = ()
    search_kinds: tuple[SearchKind, ...] = ()
    search_providers: tuple[SearchDocumentsProvider, ...] = ()
    api_routers: tuple[tuple[str, str], ...] = ()
    audit_actions: Mapping[str, Any] = field(default_factory=dict)
