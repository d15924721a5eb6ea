"""DHIS2-style identifiers: 11 characters, a letter then 10 letters or digits (e.g. `fbfJHSPpUQD`).

Every metadata object (data elements, categories and their options and combos, report forms,
organisation units) carries one beside its code, generated once and never changed, so that a DHIS2
instance can exchange data with us by UID (`idScheme=UID`) as well as by code.
"""

from __future__ import annotations

import re
import secrets
import string

LETTERS = string.ascii_letters
ALPHANUMERIC = string.ascii_letters + string.digits
UID_LENGTH = 11
UID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")


def generate_uid() -> str:
    """A new random UID (62^10 × 52 possibilities: a collision is left to the unique index)."""
    return secrets.choice(LETTERS) + "".join(secrets.choice(ALPHANUMERIC) for _ in range(UID_LENGTH - 1))


def is_uid(value: str) -> bool:
    return bool(UID_PATTERN.match(value or ""))
