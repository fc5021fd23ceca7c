"""Hood campaigns: messages sent (by the account's own engine, not by partnerhub) on a deal's
behalf, and the states they move through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

STATUSES = ("draft", "scheduled", "running", "paused", "canceled", "sent", "needs_decision")
CHANNELS = ("sms", "email", "push", "web_push", "in_app")
# Channels that send through an integration of the same type.
INTEGRATION_CHANNELS = frozenset({"sms", "email"})
MAX_MESSAGES_PER_CHANNEL = 4


@dataclass(frozen=True, slots=True)
class Campaign:
    id: int
    account_id: int
    deal_id: int
    version: int
    name: str
    description: str | None
    labels: list[str]
    metadata: dict[str, Any] | None
    messages: list[dict[str, Any]]
    ab_test: dict[str, Any] | None
    recurrence: dict[str, Any] | None
    utm_tracking: dict[str, Any] | None
    quiet_hours: dict[str, Any] | None
    targeting: dict[str, Any] | None
    status: str
    effective_status: str
    send_strategy: str
    send_in_profile_time_zone: bool
    send_if_profile_time_passed: bool
    scheduled_time: datetime | None
    next_run_time: datetime | None
    run_counter: int
    was_launched: bool
    status_reason: str | None
    archived: int
    create_time: datetime
    update_time: datetime
