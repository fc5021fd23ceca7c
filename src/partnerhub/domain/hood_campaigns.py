"""Hood campaigns: messages sent (by the account's own engine, not by partnerhub) on a deal's
behalf, and the states they move through.

The state machine is one table, `TRANSITIONS`: for each action and current status, the statuses
the action may lead to. A pair missing from it is refused, naming the current status and the
statuses the action is allowed from. partnerhub sends nothing: a transition changes state only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerhub.domain.unset import UNSET, Unset
from partnerhub.errors import RuleViolation, ValidationFailed

STATUSES = ("draft", "scheduled", "running", "paused", "canceled", "sent", "needs_decision")
CHANNELS = ("sms", "email", "push", "web_push", "in_app")
# Channels that send through an integration of the same type.
INTEGRATION_CHANNELS = frozenset({"sms", "email"})
MAX_MESSAGES_PER_CHANNEL = 4
# How a campaign starts once it is not a draft: at once, at its scheduled_time, or by hand (no
# execution option given: Ocamba's "manual", which stays a draft here).
STRATEGIES = ("immediate", "scheduled", "manual")
STARTS = {"immediate": "running", "scheduled": "scheduled"}

ACTIONS = ("patch", "pause", "resume", "cancel", "archive")
PAST = {
    "patch": "updated",
    "pause": "paused",
    "resume": "resumed",
    "cancel": "canceled",
    "archive": "archived",
}
_ARCHIVABLE = ("draft", "paused", "canceled", "sent", "needs_decision")

# (action, current status) → the statuses it may lead to. Absent: refused.
# - pause from running|scheduled; resume from paused (scheduled_time → scheduled,
#   run_immediately → running); cancel from running|scheduled|paused, final.
# - patch: refused while running, canceled, sent or needs_decision; moves out of draft (to
#   scheduled or running by its execution options), never back into it; a paused campaign
#   stays paused (resume moves it).
# - archive: not while active (running, scheduled: pause or cancel it first), as a deal with an
#   active campaign cannot be archived; the status stays.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("pause", "running"): frozenset({"paused"}),
    ("pause", "scheduled"): frozenset({"paused"}),
    ("resume", "paused"): frozenset({"scheduled", "running"}),
    ("cancel", "running"): frozenset({"canceled"}),
    ("cancel", "scheduled"): frozenset({"canceled"}),
    ("cancel", "paused"): frozenset({"canceled"}),
    ("patch", "draft"): frozenset({"draft", "scheduled", "running"}),
    ("patch", "scheduled"): frozenset({"scheduled", "running"}),
    ("patch", "paused"): frozenset({"paused"}),
    **{("archive", status): frozenset({status}) for status in _ARCHIVABLE},
}


def allowed_from(action: str) -> tuple[str, ...]:
    return tuple(s for s in STATUSES if (action, s) in TRANSITIONS)


def _names(statuses: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(s for s in STATUSES if s in statuses)


def check_transition(action: str, current: str, target: str) -> None:
    """Refuse (400) what the table does not allow, naming the current and requested state."""
    allowed = TRANSITIONS.get((action, current))
    # The requested state, unless the action's name already says it (pause → paused).
    to = "" if target == current or target == PAST[action] else f" to '{target}'"
    if allowed is None:
        raise RuleViolation(
            f"A campaign in state '{current}' cannot be {PAST[action]}{to}; "
            f"{action} is allowed from {_names(allowed_from(action))}."
        )
    if target not in allowed:
        raise RuleViolation(
            f"A campaign in state '{current}' cannot be {PAST[action]}{to}; "
            f"from {current}, {action} leads to {_names(allowed)}."
        )


def strategy_of(run_immediately: bool, scheduled_time: datetime | None) -> str:
    if run_immediately:
        return "immediate"
    return "scheduled" if scheduled_time is not None else "manual"


def initial_status(is_draft: bool, strategy: str) -> str:
    """A draft, or what its execution option starts; none (manual) makes a draft."""
    return "draft" if is_draft else STARTS.get(strategy, "draft")


def patched_status(
    current: str, strategy: str, *, is_draft: bool | None, execution_sent: bool
) -> str:
    """The status a PATCH asks for (`strategy`: the execution after the PATCH;
    `execution_sent`: it sent run_immediately or scheduled_time; `is_draft` None: not sent).
    Checked against TRANSITIONS by the caller."""
    if is_draft is True:
        return "draft"
    if execution_sent:
        if strategy == "manual" and is_draft is False:
            raise _no_execution()
        return STARTS.get(strategy, "draft")
    if is_draft is False and current == "draft":
        if strategy == "manual":
            raise _no_execution()
        return STARTS[strategy]
    return current


def _no_execution() -> ValidationFailed:
    return ValidationFailed.one(
        "is_draft", "is_draft false needs an execution option: run_immediately or scheduled_time."
    )


def schedule_values(
    status: str, scheduled_time: datetime | None, run_counter: int
) -> dict[str, Any]:
    """Entering `status`: a run starts (running), is due (scheduled), or none is due."""
    if status == "running":
        return {"was_launched": True, "run_counter": run_counter + 1, "next_run_time": None}
    return {"next_run_time": scheduled_time if status == "scheduled" else None}


def check_startable(
    status: str, messages: Sequence[object], scheduled_time: datetime | None, now: datetime | None
) -> None:
    """A campaign that runs or is scheduled has a message; one being scheduled (`now` given)
    has its time in the future."""
    if status not in STARTS.values():
        return
    if not messages:
        raise ValidationFailed.one(
            "messages", f"messages: a campaign needs at least one message to be {status}."
        )
    if (
        status == "scheduled"
        and now is not None
        and (scheduled_time is None or scheduled_time <= now)
    ):
        raise ValidationFailed.one(
            "scheduled_time", "scheduled_time must be in the future to schedule the campaign."
        )


def check_messages(messages: Sequence[Mapping[str, Any]], ab_test: object) -> None:
    """Several messages on one channel need ab_test; at most MAX_MESSAGES_PER_CHANNEL each."""
    counts: dict[str, int] = {}
    for message in messages:
        counts[message["channel"]] = counts.get(message["channel"], 0) + 1
    for channel, count in counts.items():
        if count > MAX_MESSAGES_PER_CHANNEL:
            raise ValidationFailed.one(
                "messages",
                f"messages: at most {MAX_MESSAGES_PER_CHANNEL} messages per channel "
                f"({channel} has {count}).",
            )
        if count > 1 and not ab_test:
            raise ValidationFailed.one(
                "messages", f"messages: several messages on channel '{channel}' need ab_test."
            )


@dataclass(frozen=True, slots=True)
class MessageIn:
    """A message as a body sends it: `id` only to keep an existing message's id (PATCH)."""

    channel: str
    integration_id: int | None = None
    template_id: str | None = None
    primary_lang: str | None = None
    subject: str | None = None
    content: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    name: str
    deal_id: int
    description: str | None = None
    labels: tuple[str, ...] = ()
    messages: tuple[MessageIn, ...] = ()
    objects: Mapping[str, dict[str, Any] | None] | None = None  # metadata, ab_test, …
    is_draft: bool = False
    send_in_profile_time_zone: bool = False
    send_if_profile_time_passed: bool = False
    run_immediately: bool = False
    scheduled_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class CampaignPatch:
    """What a PATCH sent (JSON Merge Patch): `values` holds only the keys sent (None clears);
    the objects in `objects` are merge patches of the stored ones; arrays are replaced."""

    values: Mapping[str, Any]  # name, description, labels, the two send_* flags
    objects: Mapping[str, dict[str, Any] | None]
    messages: tuple[MessageIn, ...] | Unset = UNSET
    is_draft: bool | None = None
    run_immediately: bool | None = None
    scheduled_time: datetime | Unset | None = UNSET

    def is_empty(self) -> bool:
        return (
            not self.values
            and not self.objects
            and (
                self.messages is UNSET
                and self.is_draft is None
                and self.run_immediately is None
                and self.scheduled_time is UNSET
            )
        )


@dataclass(frozen=True, slots=True)
class Resume:
    run_immediately: bool
    scheduled_time: datetime | None


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
