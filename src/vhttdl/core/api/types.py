"""Bounded values for path and query parameters: a number the database cannot hold is a 400, not a 500."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

DB_INT_MAX = 2**63 - 1  # PostgreSQL bigint; SQLite's INTEGER

#: A primary key in a path (`/submissions/{submission_id}`).
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
#: A version number the client read.
Version = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
