"""Hood deals: what a partner is paid for, and the status its campaigns follow."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from partnerhub.domain.numbers import canonical, json_number
from partnerhub.domain.unset import UNSET, Unset
from partnerhub.errors import ValidationFailed

STATUSES = ("active", "inactive")
TYPES = ("dsp", "ssp")
STRUCTURES = ("cpa", "cpi", "cpc", "cpm", "cpl", "cps", "revshare")
FREQUENCY_UNITS = ("hour", "day", "week", "month", "session", "campaign")
DEVICES = ("desktop", "mobile")


@dataclass(frozen=True, slots=True)
class Deal:
    id: int
    account_id: int
    partner_id: int
    version: int
    name: str
    description: str | None
    type: str | None
    structure: str | None
    status: str
    effective_status: str
    postback: str | None
    frequency_cap: dict[str, Any] | None
    clickthrough: bool
    time_window: int | None
    base_price: Decimal
    base_price_priority: bool
    country_price: dict[str, Decimal]
    device_price: dict[str, Decimal]
    event_price: dict[str, Decimal]
    budget: Decimal | None
    total_spend_cap: Decimal | None
    unique_conversion: bool
    performance_conditions: dict[str, Any] | None
    system: int
    is_default: int
    archived: int
    create_time: datetime
    update_time: datetime


# How values are kept: money and prices as `Decimal` (stored as canonical strings, answered as
# JSON numbers), the three flags as booleans (stored 0/1).
MONEY = frozenset({"base_price", "budget", "total_spend_cap"})
PRICE_MAPS = frozenset({"country_price", "device_price", "event_price"})
FLAGS = frozenset({"clickthrough", "base_price_priority", "unique_conversion"})
# At most this many keys per price map (whatever a PATCH merges in).
MAX_PRICES = {"country_price": 250, "device_price": len(DEVICES), "event_price": 100}
# Ocamba's PATCH-able fields (reference §5.1); every other documented field is create-only or
# read-only, and refused in a PATCH.
UPDATABLE = (
    "name",
    "description",
    "status",
    "frequency_cap",
    "clickthrough",
    "time_window",
    "country_price",
    "device_price",
    "event_price",
    "base_price",
    "budget",
    "unique_conversion",
    "performance_conditions",
    "base_price_priority",
)
# The deal's own fields, in the order Hood answers them (ids and times aside).
FIELDS = (
    "name",
    "description",
    "type",
    "structure",
    "status",
    "effective_status",
    "postback",
    "frequency_cap",
    "clickthrough",
    "time_window",
    "base_price",
    "base_price_priority",
    "country_price",
    "device_price",
    "event_price",
    "budget",
    "total_spend_cap",
    "unique_conversion",
    "performance_conditions",
    "system",
    "is_default",
    "archived",
)


def stored(name: str, value: Any) -> Any:
    """A field's value as its column keeps it."""
    if value is None:
        return None
    if name in MONEY:
        return canonical(value)
    if name in PRICE_MAPS:
        return {k: canonical(v) for k, v in sorted(value.items())}
    if name in FLAGS:
        return int(value)
    return value


def shown(name: str, value: Any) -> Any:
    """A field's value as Hood answers it and history records it (JSON-friendly)."""
    if value is None:
        return None
    if name in MONEY:
        return json_number(value)
    if name in PRICE_MAPS:
        return {k: json_number(v) for k, v in sorted(value.items())}
    return value


def state(deal: Deal, names: Iterable[str] = FIELDS) -> dict[str, Any]:
    return {name: shown(name, getattr(deal, name)) for name in names}


def merge_prices(
    name: str, current: Mapping[str, Decimal], sent: Mapping[str, Decimal | None] | None
) -> dict[str, Decimal]:
    """A PATCH of a price map: keys sent replace, a key sent as null is removed, the whole map
    sent as null clears it."""
    if sent is None:
        return {}
    merged = dict(current)
    for key, value in sent.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > MAX_PRICES[name]:
        raise ValidationFailed.one(name, f"{name} must hold at most {MAX_PRICES[name]} prices.")
    return merged


@dataclass(frozen=True, slots=True)
class DealDraft:
    """A validated create command."""

    name: str
    partner_id: int
    base_price: Decimal
    clickthrough: bool
    description: str | None = None
    type: str | None = None
    structure: str | None = None
    status: str = "active"
    postback: str | None = None
    frequency_cap: dict[str, Any] | None = None
    time_window: int | None = None
    base_price_priority: bool = False
    country_price: dict[str, Decimal] = field(default_factory=dict)
    device_price: dict[str, Decimal] = field(default_factory=dict)
    event_price: dict[str, Decimal] = field(default_factory=dict)
    budget: Decimal | None = None
    total_spend_cap: Decimal | None = None
    unique_conversion: bool = False
    performance_conditions: dict[str, Any] | None = None

    def values(self) -> dict[str, Any]:
        """The deal fields given (partner_id aside)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "partner_id"
        }


@dataclass(frozen=True, slots=True)
class DealPatch:
    """A validated PATCH command over the updatable fields. Each is UNSET (not sent: left as
    it is), None (sent as null: cleared; nullable fields only) or its new value. A price map
    holds the keys sent (None: remove that key), merged by `merge_prices`."""

    name: str | Unset = UNSET
    description: str | Unset | None = UNSET
    status: str | Unset = UNSET
    frequency_cap: dict[str, Any] | Unset | None = UNSET
    clickthrough: bool | Unset = UNSET
    time_window: int | Unset | None = UNSET
    country_price: Mapping[str, Decimal | None] | Unset | None = UNSET
    device_price: Mapping[str, Decimal | None] | Unset | None = UNSET
    event_price: Mapping[str, Decimal | None] | Unset | None = UNSET
    base_price: Decimal | Unset = UNSET
    budget: Decimal | Unset | None = UNSET
    unique_conversion: bool | Unset = UNSET
    performance_conditions: dict[str, Any] | Unset | None = UNSET
    base_price_priority: bool | Unset = UNSET

    def sent(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not UNSET
        }
