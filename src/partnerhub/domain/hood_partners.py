"""Hood partners and their contacts: types, enums and the rules that span fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Member
from partnerhub.domain.unset import UNSET, Unset
from partnerhub.errors import ProblemList, ValidationFailed

STATUSES = ("active", "inactive", "pending", "suspended", "terminated")
TYPES = ("advertiser", "publisher")
PAYMENT_FREQUENCIES = ("monthly", "quarterly", "annually")
PAYMENT_METHODS = ("bank-transfer", "card", "paypal")
NET_TERMS = ("net30", "net45", "net60", "net90")
CURRENCIES = ("usd", "eur")

PAYMENT_TERMS_FIELDS = ("payment_frequency", "payment_method", "net_terms", "currency_code")
BILLING_ADDRESS_FIELDS = ("street", "city", "post_code", "country")
# Collections per partner (README "Limits"): far above what a partner holds (seed 000 has one
# contact per type), small enough that a page of partners in view=full stays a few MB.
MAX_CONTACTS = 50
MAX_MANAGERS = 100
ALL_OR_NOTHING = {"payment_terms": PAYMENT_TERMS_FIELDS, "billing_address": BILLING_ADDRESS_FIELDS}


def check_contact_room(existing: int, adding: int) -> None:
    """A partner holds at most MAX_CONTACTS contacts, however they are added."""
    if existing + adding > MAX_CONTACTS:
        raise ValidationFailed.one(
            "contacts",
            f"contacts: a partner has at most {MAX_CONTACTS} contacts "
            f"({existing} present, {adding} more sent).",
            "TOO_MANY",
        )


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    partner_id: int
    version: int
    seq: int
    type: str
    value: str
    create_time: datetime
    update_time: datetime


@dataclass(frozen=True, slots=True)
class Partner:
    id: int
    account_id: int
    version: int
    name: str
    description: str | None
    type: tuple[str, ...]
    status: str
    manager_ids: tuple[str, ...]
    payment_terms: dict[str, str] | None
    billing_address: dict[str, str] | None
    archived: int
    system: int
    create_time: datetime
    update_time: datetime

    def state(self) -> dict[str, Any]:
        """The values history compares (JSON-friendly)."""
        return {
            "name": self.name,
            "description": self.description,
            "type": list(self.type),
            "status": self.status,
            "manager_ids": list(self.manager_ids),
            "payment_terms": self.payment_terms,
            "billing_address": self.billing_address,
            "archived": self.archived,
        }


def merge_nested(
    current: Mapping[str, str] | None, patch: Mapping[str, str | None] | None
) -> dict[str, str] | None:
    """PATCH of an all-or-nothing object: keys sent replace, `null` keys are dropped.

    An explicit `null` for the whole object clears it.
    """
    if patch is None:
        return None
    merged = dict(current or {})
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged or None


def check_all_or_nothing(values: Mapping[str, Any]) -> None:
    """Once one field of billing_address / payment_terms is given, all of them are required."""
    problems = ProblemList()
    for name, fields in ALL_OR_NOTHING.items():
        obj = values.get(name)
        if not obj:
            continue
        for missing in (f for f in fields if obj.get(f) in (None, "")):
            problems.add(
                f"{name}.{missing}",
                f"{name}.{missing} is required once any field of {name} is given.",
                "REQUIRED",
            )
    problems.raise_if_any()


def first_value_per_type(contacts: list[Contact]) -> dict[str, str]:
    """The legacy `contact` object: the earliest value of each type."""
    legacy: dict[str, str] = {}
    for contact in sorted(contacts, key=lambda c: c.seq):
        legacy.setdefault(contact.type, contact.value)
    return legacy


@dataclass(frozen=True, slots=True)
class PartnerDraft:
    """A validated create command."""

    name: str
    type: tuple[str, ...]
    status: str
    manager_ids: tuple[str, ...]
    description: str | None = None
    payment_terms: dict[str, str] | None = None
    billing_address: dict[str, str] | None = None
    contacts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PartnerPatch:
    """A validated PATCH command. Each partner field is UNSET (not sent: left as it is), None
    (sent as `null`: cleared; only the nullable fields) or its new value. `payment_terms` and
    `billing_address` hold the keys sent, merged into the current object (`merge_nested`).
    `contact` sets (or, with None, drops) one value per contact type, as the legacy `contact`
    object does; `type` is create-only and `archived` has its own endpoints."""

    name: str | Unset = UNSET
    description: str | Unset | None = UNSET
    status: str | Unset = UNSET
    manager_ids: tuple[str, ...] | Unset = UNSET
    payment_terms: Mapping[str, str | None] | Unset | None = UNSET
    billing_address: Mapping[str, str | None] | Unset | None = UNSET
    contact: Mapping[str, str | None] = field(default_factory=dict)

    def changes(self) -> dict[str, Any]:
        """The partner fields sent (`contact` aside), JSON-friendly like `Partner.state()`."""
        sent = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "contact" and getattr(self, f.name) is not UNSET
        }
        if "manager_ids" in sent:
            sent["manager_ids"] = list(sent["manager_ids"])
        return sent


@dataclass(frozen=True, slots=True)
class PartnerView:
    """A partner with what its representation pulls in: contacts and managers."""

    partner: Partner
    contacts: list[Contact]
    managers: list[Member]
