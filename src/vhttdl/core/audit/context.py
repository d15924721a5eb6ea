"""Where a change came from: the request's address, carried to services without passing HTTP objects."""

from __future__ import annotations

from contextvars import ContextVar

request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)
