"""Constraint violations as domain errors: the database's last word on a rule a service also
checks, for the caller who loses a race the service's check could not see.

Unique violations become `Conflict` (409) naming the field; a foreign key whose parent vanished
concurrently becomes `ValidationFailed` (422) naming the field that referred to it; deleting a
parent a concurrent insert still refers to is a `Conflict`. One table of rules keyed by
constraint name serves both databases: PostgreSQL names the constraint, SQLite names the
columns (unique) or nothing (foreign keys: the inserted table picks the rule).

Translated where a statement runs (storage/connection.py), so a service can catch one inside a
savepoint and retry. Not at COMMIT: the schema has no deferred constraint, so a violation there
is a bug to see, not a race to explain.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.exc import IntegrityError

from partnerhub.errors import Conflict, DomainError, FieldProblem, ValidationFailed

DRIVER_ERRORS = (IntegrityError, sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


class UniqueViolation(Conflict):
    def __init__(self, message: str, *, field: str | None, constraint: str | None) -> None:
        super().__init__(message, field=field)
        self.constraint = constraint


class MissingReference(ValidationFailed):
    pass


@dataclass(frozen=True, slots=True)
class _Rule:
    field: str | None
    message: str


_RETRY = "was taken by a concurrent request; retry."
UNIQUE: dict[str, _Rule] = {
    "uq_core_partners_login_lower": _Rule(
        "login", "The login is already taken (logins are unique, ignoring case)."
    ),
    "uq_core_partners_login": _Rule(
        "login", "The login is already taken (logins are unique, ignoring case)."
    ),
    "uq_core_partners_display_id": _Rule("display_id", f"The display_id {_RETRY}"),
    "uq_core_partners_partner_sid": _Rule("partner_sid", f"The partner_sid {_RETRY}"),
    "uq_accounts_name": _Rule("name", "An account with this name already exists."),
    "uq_hood_integrations_default": _Rule(
        "is_default", "Another integration of this type is the default; retry."
    ),
    "pk_crm_properties": _Rule("name", "A property with this name already exists."),
    "pk_crm_property_groups": _Rule("name", "A property group with this name already exists."),
    "pk_idempotency_keys": _Rule("Idempotency-Key", "The Idempotency-Key is in use."),
}
# SQLite reports a unique column set as "table.a, table.b" (or an expression index by name).
_SQLITE_COLUMNS: dict[str, str] = {
    "core_partners.login": "uq_core_partners_login",
    "core_partners.display_id": "uq_core_partners_display_id",
    "core_partners.partner_sid": "uq_core_partners_partner_sid",
    "accounts.name": "uq_accounts_name",
    "hood_integrations.account_id, hood_integrations.type": "uq_hood_integrations_default",
    "crm_properties.account_id, crm_properties.object_type, crm_properties.name": (
        "pk_crm_properties"
    ),
    "crm_property_groups.account_id, crm_property_groups.object_type, crm_property_groups.name": (
        "pk_crm_property_groups"
    ),
    "idempotency_keys.account_id, idempotency_keys.surface, idempotency_keys.key": (
        "pk_idempotency_keys"
    ),
}
# A child inserted under a parent that is gone: the child's field naming the parent.
REFERENCES: dict[str, _Rule] = {
    "fk_core_partners_parent_id_core_partners": _Rule(
        "parent_sid", "parent_sid: Cannot find item by SID."
    ),
    "fk_hood_partner_contacts_partner_id_hood_partners": _Rule(
        "partner_id", "The partner no longer exists."
    ),
    "fk_hood_deals_partner_id_hood_partners": _Rule("partner_id", "The partner no longer exists."),
    "fk_hood_campaigns_deal_id_hood_deals": _Rule("deal_id", "The deal no longer exists."),
}
# SQLite names no foreign key: the table inserted into picks its parent rule.
_SQLITE_REFERENCES = {
    "core_partners": "fk_core_partners_parent_id_core_partners",
    "hood_partner_contacts": "fk_hood_partner_contacts_partner_id_hood_partners",
    "hood_deals": "fk_hood_deals_partner_id_hood_partners",
    "hood_campaigns": "fk_hood_campaigns_deal_id_hood_deals",
}
STILL_REFERENCED = "The object is still referenced by another (created concurrently); retry."
_GENERIC_UNIQUE = "A value that must be unique was taken by a concurrent request; retry."
_GENERIC_REFERENCE = "An object this one refers to no longer exists."
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)", re.IGNORECASE)


def domain_error(exc: BaseException, statement: str | None = None) -> DomainError | None:
    """The domain error a unique or foreign-key violation (any driver's, SQLAlchemy-wrapped or
    not) means; None for other violations (NOT NULL, CHECK), which are bugs, not races."""
    postgres = _postgres_error(exc)
    if postgres is not None:
        constraint = getattr(postgres, "constraint_name", None)
        if isinstance(postgres, asyncpg.UniqueViolationError):
            return _unique(constraint)
        if isinstance(postgres, asyncpg.ForeignKeyViolationError):
            if "still referenced" in (getattr(postgres, "detail", None) or ""):
                return Conflict(STILL_REFERENCED)
            return _reference(constraint)
        return None
    message = str(getattr(exc, "orig", None) or exc)
    if "UNIQUE constraint failed: " in message:
        reported = message.split("UNIQUE constraint failed: ", 1)[1].strip()
        index = re.fullmatch(r"index '(\w+)'", reported)
        return _unique(index[1] if index else _SQLITE_COLUMNS.get(reported))
    if "FOREIGN KEY constraint failed" in message:
        inserted = _INSERT_INTO.match(statement or getattr(exc, "statement", None) or "")
        if inserted is None:  # a delete or update of a parent still referred to
            return Conflict(STILL_REFERENCED)
        return _reference(_SQLITE_REFERENCES.get(inserted[1]))
    return None


def _postgres_error(exc: BaseException) -> asyncpg.PostgresError | None:
    seen: Any = exc
    for _ in range(3):  # SQLAlchemy's error → its asyncpg adapter's → asyncpg's own
        if isinstance(seen, asyncpg.PostgresError):
            return seen
        seen = getattr(seen, "orig", None) or seen.__cause__
        if seen is None:
            return None
    return seen if isinstance(seen, asyncpg.PostgresError) else None


def _unique(constraint: str | None) -> UniqueViolation:
    rule = UNIQUE.get(constraint or "")
    if rule is None:
        return UniqueViolation(_GENERIC_UNIQUE, field=None, constraint=constraint)
    return UniqueViolation(rule.message, field=rule.field, constraint=constraint)


def _reference(constraint: str | None) -> MissingReference:
    rule = REFERENCES.get(constraint or "", _Rule(None, _GENERIC_REFERENCE))
    return MissingReference([FieldProblem(rule.field, rule.message, "NOT_FOUND")])
