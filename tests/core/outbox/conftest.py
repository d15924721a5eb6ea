from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from vhttdl.core.accounts.policy import can
from vhttdl.core.modules import Module, OutboxDelivery, OutboxDestination, OutboxRetryPolicy, registry

TEST_DESTINATION = "tests.receiver"


@dataclass
class FakeReceiver:
    """A receiver that answers what the test says, and remembers each key it got (once per key)."""

    answers: list[OutboxDelivery] = field(default_factory=list)
    received: dict[str, int] = field(default_factory=dict)
    raises: bool = False

    def __call__(self, *, payload, key):
        if self.raises:
            raise ConnectionResetError("peer went away")
        answer = self.answers.pop(0) if self.answers else OutboxDelivery(True, 201, "ok")
        if answer.ok:
            self.received[key] = self.received.get(key, 0) + 1
        return answer


@pytest.fixture
def receiver(monkeypatch):
    """A destination of a module that is not part of the platform: superusers see and retry its messages."""
    fake = FakeReceiver()
    destination = OutboxDestination(
        name=TEST_DESTINATION,
        label="Máy nhận thử của bộ kiểm thử",
        connector=fake,
        can_view=lambda *, actor: bool(getattr(actor, "is_superuser", False)),
        visible=lambda *, actor, messages: messages if getattr(actor, "is_superuser", False) else messages.none(),
        can_retry=lambda *, actor, message: can(actor, "tests.never"),
        retry_policy=lambda: OutboxRetryPolicy(max_attempts=3, backoff_seconds=60, max_backoff_seconds=150),
    )
    installed = registry.modules()
    registry.reset()
    module = Module(label="tests", outbox_destinations=(destination,))
    monkeypatch.setattr(registry, "modules", lambda: (*installed, module))
    yield fake
    monkeypatch.undo()
    registry.reset()
