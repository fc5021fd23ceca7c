"""Ids: numeric ids (Hood, CRM) and secure ids (UUIDs: Core partners, Hood contacts).

Malformed path ids are simply unknown (never a 500, never a hint of existence)."""

from __future__ import annotations

import uuid

from partnerhub.errors import NotFound, ValidationFailed


def is_numeric_id(value: str) -> bool:
    """Digits only, and short enough for a 64-bit column."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def numeric(value: str, kind: str) -> int:
    if is_numeric_id(value):
        return int(value)
    raise NotFound(kind, value[:64])


def in_body(value: object, field: str) -> int:
    """An id inside a body: a digit string (Hood's form) or the same as a JSON number."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
        return value
    if isinstance(value, str) and is_numeric_id(value):
        return int(value)
    raise ValidationFailed.one(field, f"{field} must be an id (a digit string).")


# Ids partnerhub issues: Hood's (and members') from one million up, like Ocamba's ("1000412");
# CRM records' from 1, like HubSpot's ("512"). At most 18 digits: a 64-bit column.
FIRST_HOOD_ID = 1_000_000
FIRST_CRM_ID = 1


def stated(value: object, field: str, *, first: int) -> int:
    """An id chosen by the caller (a seed file), held to the form of the ids issued."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        number = None
    elif isinstance(value, int):
        number = value if value < 10**18 else None
    else:
        number = int(value) if is_numeric_id(value) else None
    if number is None or number < first:
        raise ValidationFailed.one(
            field,
            f"{field} must be an id of at most 18 digits from {first} up, like the ids "
            "partnerhub issues.",
        )
    return number


def stated_secure_id(value: object, field: str) -> str:
    """A secure id chosen by the caller: any UUID, kept in its canonical form."""
    sid = secure_id(value)
    if sid is None:
        raise ValidationFailed.one(
            field, f"{field} must be a UUID, like the ids partnerhub issues."
        )
    return sid


def secure_id(value: object) -> str | None:
    """`value` as a canonical secure id (lower-case hyphenated UUID), or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def uuid_string(value: str, kind: str) -> str:
    """A path's secure id; a malformed one is unknown."""
    sid = secure_id(value)
    if sid is None:
        raise NotFound(kind, value[:64])
    return sid
