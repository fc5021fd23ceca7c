"""Hood deals: what a partner is paid for, and the status its campaigns follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

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
