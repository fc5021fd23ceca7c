"""Path ids: malformed ones are simply unknown (never a 500, never a hint of existence)."""

from __future__ import annotations

import uuid

from partnerhub.errors import NotFound


def is_numeric_id(value: str) -> bool:
    """Digits only, and short enough for a 64-bit column."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def numeric(value: str, kind: str) -> int:
    if is_numeric_id(value):
        return int(value)
    raise NotFound(kind, value[:64])


def uuid_string(value: str, kind: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise NotFound(kind, value[:64]) from None
