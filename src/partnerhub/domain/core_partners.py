"""Core (CarrierX-style) partners: the object, its field classes, PATCH/PUT rules, hierarchy.

Pure: no storage, no web. Storage fills `CorePartner`; the Core surface renders it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from partnerhub.domain import bounds
from partnerhub.errors import DomainError, FieldProblem, ProblemList, ValidationFailed

OBJECT_TYPE = "core.partner"

# Seed 003: exactly these may be changed by PATCH / PUT.
UPDATABLE = (
    "acls",
    "address1",
    "address2",
    "attributes",
    "billing_email",
    "callbacks",
    "city",
    "company_name",
    "name",
    "owner_email",
    "parent_assigned_acls",
    "phonenumber",
    "tech_email",
    "transformations",
    "zip",
)
NESTED_OBJECTS = ("attributes", "callbacks")
NESTED_ARRAYS = ("acls", "parent_assigned_acls", "transformations")
# Settable on create only (then read-only).
CREATE_ONLY = (
    "charge_at",
    "country_code",
    "daily_spending_limit",
    "login",
    "parent_sid",
    "payment_type",
    "prepay_amount",
    "spending_limit",
    "state",
)
# Set by the system.
READ_ONLY = (
    "available_scopes",
    "balance",
    "daily_spent_amount",
    "date_created",
    "display_id",
    "partner_sid",
    "status",
)
# Every key of the object as answered (reference §3), alphabetical.
WIRE_FIELDS = tuple(sorted(UPDATABLE + CREATE_ONLY + READ_ONLY))
NOT_UPDATABLE = tuple(sorted(CREATE_ONLY + READ_ONLY))
MONEY_FIELDS = (
    "balance",
    "charge_at",
    "daily_spending_limit",
    "daily_spent_amount",
    "prepay_amount",
    "spending_limit",
)
CALLBACK_NAMES = (
    "app_conference_call",
    "app_conference_meeting",
    "app_mediator",
    "phonenumber_messaging_update",
    "phonenumber_order",
    "sms",
)
NESTED_OBJECTS_MODES = ("replace",)

DEFAULTS: dict[str, str | None] = {
    "balance": "0",
    "daily_spending_limit": "500",
    "daily_spent_amount": "0",
    "spending_limit": "0",
}
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")
MONEY = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,6})?")


class HierarchyForbidden(DomainError):
    """The acting partner may see the target but not make this change to it."""

    status = 403
    code = "FORBIDDEN"


def core_time(value: datetime) -> str:
    """`2023-09-20T21:34:55.000Z`: UTC, milliseconds, `Z`."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def money(value: object, field_name: str) -> str:
    """A decimal given as a JSON number or a decimal string, answered as a canonical string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationFailed.one(field_name, f"{field_name} must be a decimal number.")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if not MONEY.fullmatch(text):
        raise ValidationFailed.one(
            field_name, f'{field_name} must be a decimal number such as "351.52".'
        )
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValidationFailed.one(field_name, f"{field_name} must be a decimal number.") from None
    if number < 0:
        raise ValidationFailed.one(field_name, f"{field_name} must not be negative.")
    return format_money(number)


def format_money(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


MAX_DEPTH = bounds.CORE_PATH_MAX_DEPTH


def depth(path: str) -> int:
    """Levels from the account's root (depth 1) in a materialized path ("/12/57/" is 2)."""
    return path.count("/") - 1


def check_child_depth(parent_path: str) -> None:
    """A new partner below this parent stays within MAX_DEPTH, so its path fits its column."""
    if depth(parent_path) >= MAX_DEPTH:
        raise ValidationFailed.one(
            "parent_sid",
            f"parent_sid is {MAX_DEPTH} levels deep; partners may nest at most {MAX_DEPTH} levels.",
        )


def login(value: object, field_name: str) -> str:
    if not isinstance(value, str) or not LOGIN.fullmatch(value):
        raise ValidationFailed.one(
            field_name,
            f"{field_name} must be 1-128 characters: letters, digits and . _ @ + - "
            "(starting with a letter or digit).",
        )
    return value


@dataclass(frozen=True, slots=True)
class CorePartner:
    id: int
    account_id: int
    partner_sid: str
    display_id: str
    parent_id: int | None
    parent_sid: str | None
    path: str
    version: int
    login: str
    name: str | None
    company_name: str | None
    address1: str | None
    address2: str | None
    city: str | None
    state: str | None
    zip: str | None
    country_code: str | None
    phonenumber: str | None
    owner_email: str | None
    billing_email: str | None
    tech_email: str | None
    payment_type: str
    balance: str
    charge_at: str | None
    daily_spending_limit: str | None
    daily_spent_amount: str
    prepay_amount: str | None
    spending_limit: str | None
    status: str
    available_scopes: tuple[str, ...]
    attributes: dict[str, Any]
    callbacks: dict[str, Any]
    acls: list[dict[str, Any]]
    parent_assigned_acls: list[dict[str, Any]]
    transformations: list[Any]
    date_created: datetime
    date_updated: datetime
    # CarrierX's system attribute: not part of the Core object (see AUTHENTICATION_FIELDS).
    allow_basic_authentication: bool = True

    def public(self) -> dict[str, Any]:
        """Every key of the Core object, with its Core value (timestamps formatted)."""
        return public_values({name: getattr(self, name) for name in WIRE_FIELDS})

    def updatable(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in UPDATABLE}

    def with_values(self, values: Mapping[str, Any]) -> CorePartner:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if k in known})


def public_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every key of the Core object from a partner's stored values (a row about to be inserted
    included): what `CorePartner.public` answers."""
    public = {name: values[name] for name in WIRE_FIELDS}
    public["available_scopes"] = list(public["available_scopes"])
    public["date_created"] = core_time(public["date_created"])
    return public


# A partner's password, as the Core API accepts it (create, authentication PATCH) and as the
# bootstrap and seed settings must give it.
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 128


def check_password(value: str, field: str) -> str:
    if not PASSWORD_MIN_CHARS <= len(value) <= PASSWORD_MAX_CHARS:
        raise ValidationFailed.one(
            field,
            f"{field} must have {PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters "
            f"(it has {len(value)}).",
        )
    return value


# How the partner authenticates (partnerhub's /partners/{sid}/authentication): its password and
# CarrierX's `allow_basic_authentication` system attribute. Not part of the Core object.
AUTHENTICATION_FIELDS = ("allow_basic_authentication", "password")


@dataclass(frozen=True, slots=True)
class AuthenticationChange:
    """What a PATCH of the authentication settings sets (None: left as it is)."""

    allow_basic_authentication: bool | None = None
    password: str | None = None


@dataclass(frozen=True, slots=True)
class CoreDraft:
    """A validated create body (password still in clear; the service hashes it)."""

    login: str
    password: str
    parent_sid: str | None
    values: dict[str, Any] = field(default_factory=dict)


def _same(name: str, sent: Any, stored: Any) -> bool:
    if name in MONEY_FIELDS and sent is not None and stored is not None:
        try:
            return Decimal(money(sent, name)) == Decimal(str(stored))
        except ValidationFailed:
            return False
    if name == "country_code" and isinstance(sent, str) and isinstance(stored, str):
        return sent.upper() == stored.upper()
    return bool(sent == stored)


def read_only_problems(partner: CorePartner, sent: Mapping[str, Any]) -> list[FieldProblem]:
    """PUT/PATCH may echo create-only and read-only fields: equal is ignored, different is 422."""
    current = partner.public()
    return [
        FieldProblem(
            name,
            f"{name} is read-only after creation: it cannot change "
            f"(current value {current[name]!r}).",
            "READ_ONLY",
        )
        for name, value in sent.items()
        if name in NOT_UPDATABLE and not _same(name, value, current[name])
    ]


MAX_ATTRIBUTES = 100  # keys of `attributes`, after a merge too (README "Limits")


def merge_object(current: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH of `attributes` / `callbacks`: keys sent overwrite or add, `null` removes."""
    merged = dict(current)
    for key, value in sent.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def without_nulls(sent: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sent.items() if v is not None}


def apply_changes(
    partner: CorePartner, changes: Mapping[str, Any], *, replace_nested: bool
) -> dict[str, Any]:
    """The updatable state after a PATCH (or a PUT, which passes every field and replaces).

    `attributes` and `callbacks` merge key by key unless `replace_nested`; arrays are replaced.
    """
    state = partner.updatable()
    for name, value in changes.items():
        if name not in UPDATABLE:
            continue
        if name in NESTED_OBJECTS:
            state[name] = (
                without_nulls(value) if replace_nested else merge_object(state[name], value)
            )
            if name == "attributes" and len(state[name]) > MAX_ATTRIBUTES:
                raise ValidationFailed.one(
                    name, f"attributes may hold at most {MAX_ATTRIBUTES} keys once merged."
                )
        else:
            state[name] = value
    return state


def check_hierarchy(acting: CorePartner, target: CorePartner, new_state: Mapping[str, Any]) -> None:
    """`acls` are the partner's own; `parent_assigned_acls` belong to its ancestors."""
    if new_state["acls"] != target.acls and acting.id != target.id:
        raise HierarchyForbidden(
            "acls can only be set by the partner itself; a parent partner sets "
            "parent_assigned_acls.",
            field="acls",
        )
    if new_state["parent_assigned_acls"] != target.parent_assigned_acls and (
        acting.id == target.id
    ):
        raise HierarchyForbidden(
            "parent_assigned_acls can only be set by an ancestor partner, not by the partner "
            "itself.",
            field="parent_assigned_acls",
        )


def check_nested_objects(value: str | None) -> bool:
    """`?nested_objects=`: absent → merge; `replace` → replace; anything else → 422."""
    if value is None:
        return False
    if value not in NESTED_OBJECTS_MODES:
        raise ValidationFailed.one(
            "nested_objects", "nested_objects accepts only the value replace."
        )
    return True


def check_put_complete(sent: Mapping[str, Any]) -> None:
    problems = ProblemList()
    for name in UPDATABLE:
        if name not in sent:
            problems.add(name, f"{name} is required in a PUT (every updatable field).", "MISSING")
    problems.raise_if_any()
