"""What an app can contribute, as typed data. One `Module` per app, in its `module.py`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

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


@dataclass(frozen=True)
class OutboxDelivery:
    """What one attempt to deliver an outbox message got back.

    `ok` when the receiver took it; `status` is the HTTP status (None: no answer at all); `body` the
    start of the answer, or the transport error. A connector never raises for a failed delivery.
    """

    ok: bool
    status: int | None
    body: str


@dataclass(frozen=True)
class OutboxRetryPolicy:
    """Retry `n` (1, 2, ...) waits `backoff_seconds × 2^(n-1)`, at most `max_backoff_seconds`; after
    `max_attempts` failed attempts the message is a dead letter (kept, shown, retried only by a person)."""

    max_attempts: int = 8
    backoff_seconds: float = 60.0
    max_backoff_seconds: float = 6 * 60 * 60.0


@dataclass(frozen=True)
class OutboxSubject:
    """What a message is about, as people read it on the outbox page (and where to see it)."""

    label: str
    url: str = ""


class OutboxConnector(Protocol):
    """Deliver one payload with its idempotency key (sent so the receiver records it once)."""

    def __call__(self, *, payload: dict[str, Any], key: str) -> OutboxDelivery: ...


class OutboxScope(Protocol):
    """The messages of this destination that `actor` may see (filter of `messages`)."""

    def __call__(self, *, actor: Any, messages: QuerySet[Any]) -> QuerySet[Any]: ...


class OutboxActorCheck(Protocol):
    """May `actor` see this destination's messages at all (the outbox page is open to them)?"""

    def __call__(self, *, actor: Any) -> bool: ...


class OutboxRetryCheck(Protocol):
    """May `actor` send this (visible) message again now?"""

    def __call__(self, *, actor: Any, message: Any) -> bool: ...


class OutboxDescriber(Protocol):
    """Message id → what it is about, for a page of messages (one or two queries, not one each)."""

    def __call__(self, messages: Sequence[Any]) -> Mapping[int, OutboxSubject]: ...


@dataclass(frozen=True)
class OutboxDestination:
    """A system that `core.outbox` delivers messages to, declared by the app that owns it.

    `name` is stored on every message (keep it stable: "reporting.national"); `label` is what
    people read. The owner app decides who sees (`can_view`, `visible`) and who may retry
    (`can_retry`) its messages; `connector` delivers one message; `retry_policy` is read at each
    attempt (so settings changes apply). `describe` and `endpoint` (where it goes, for the page)
    are optional.
    """

    name: str
    label: Any
    connector: OutboxConnector
    can_view: OutboxActorCheck
    visible: OutboxScope
    can_retry: OutboxRetryCheck
    retry_policy: Callable[[], OutboxRetryPolicy] = OutboxRetryPolicy
    describe: OutboxDescriber | None = None
    endpoint: Callable[[], str] | None = None


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
    - `outbox_destinations`: the systems `core.outbox` delivers this app's messages to.
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
    outbox_destinations: tuple[OutboxDestination, ...] = ()
    audit_actions: Mapping[str, Any] = field(default_factory=dict)
