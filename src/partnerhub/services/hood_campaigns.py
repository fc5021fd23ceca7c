"""Hood campaigns: create, read, list, patch (JSON Merge Patch), archive, pause, resume, cancel
and history.

Every status change is checked against `domain.hood_campaigns.TRANSITIONS` and recomputes the
stored effective status from the campaign's deal. Nothing is sent: partnerhub has no delivery
engine, a transition changes state only.
"""

from __future__ import annotations

import builtins
import dataclasses
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import HistoryEntry, diff
from partnerhub.domain.hood_campaign_fields import HOOD_TIME_FORMAT, OBJECT_FIELDS, object_field
from partnerhub.domain.hood_campaigns import (
    INTEGRATION_CHANNELS,
    STARTS,
    Campaign,
    CampaignDraft,
    CampaignPatch,
    MessageIn,
    Resume,
    check_messages,
    check_startable,
    check_transition,
    initial_status,
    patched_status,
    schedule_values,
    strategy_of,
)
from partnerhub.domain.hood_deals import Deal
from partnerhub.domain.hood_effective import campaign_effective
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.domain.merge_patch import merge_patch
from partnerhub.domain.objects import Kind
from partnerhub.domain.unset import UNSET
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound, RuleViolation, ValidationFailed
from partnerhub.services import change, history
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = Kind.HOOD_CAMPAIGN.value
# The stored fields a change compares (and history shows), by column name.
TRACKED = (
    "deal_id",
    "name",
    "description",
    "labels",
    "messages",
    *OBJECT_FIELDS,
    "status",
    "effective_status",
    "send_strategy",
    "send_in_profile_time_zone",
    "send_if_profile_time_passed",
    "scheduled_time",
    "next_run_time",
    "run_counter",
    "was_launched",
    "status_reason",
    "archived",
)
_MESSAGE_ID_LOW = 10**15  # message ids: 16-digit strings, unique within their campaign


def _now() -> datetime:
    """To the second, as Hood shows and filters times."""
    return utcnow().replace(microsecond=0)


def _target(campaign: Campaign) -> change.Target:
    return change.Target(Kind.HOOD_CAMPAIGN, campaign.id, campaign.version)


def _shown(value: Any) -> Any:
    """A value as history records it (JSON): times as Hood writes them."""
    return value.strftime(HOOD_TIME_FORMAT) if isinstance(value, datetime) else value


def _stored(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _state(campaign: Campaign) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in TRACKED}


async def get(uow: UnitOfWork, actor: Actor, *, campaign_id: int) -> Campaign:
    found = await uow.hood_campaigns.get(actor.account_id, campaign_id)
    if found is None:
        raise NotFound("campaign", str(campaign_id))
    return found


async def list(
    uow: UnitOfWork, actor: Actor, *, query: ListQuery, spec: ResourceSpec
) -> tuple[int, builtins.list[Campaign]]:
    return await uow.hood_campaigns.list(actor.account_id, query, spec)


async def _locked(
    uow: UnitOfWork, actor: Actor, campaign_id: int, if_match: str | None
) -> Campaign:
    found = await uow.hood_campaigns.get(actor.account_id, campaign_id, lock=True)
    if found is None:
        raise NotFound("campaign", str(campaign_id))
    check_if_match(if_match, found.version)
    return found


def _refuse_archived(campaign: Campaign) -> None:
    if campaign.archived:
        raise RuleViolation("An archived campaign cannot be changed.", field="archived")


async def _deal(uow: UnitOfWork, actor: Actor, deal_id: int, *, lock: bool = False) -> Deal:
    """A deal of the account that is not archived (archived deals take no campaigns)."""
    deal = await uow.hood_deals.get(actor.account_id, deal_id, lock=lock)
    if deal is None or deal.archived:
        raise NotFound("deal", str(deal_id))
    return deal


async def _message(
    uow: UnitOfWork, actor: Actor, index: int, sent: MessageIn, message_id: str
) -> dict[str, Any]:
    field = f"messages.{index}.integration_id"
    if sent.channel in INTEGRATION_CHANNELS:
        if sent.integration_id is None:
            raise ValidationFailed.one(
                field, f"{field} is required for {sent.channel} messages.", "MISSING"
            )
        integration = await uow.hood_integrations.get(actor.account_id, sent.integration_id)
        if integration is None:
            raise NotFound("integration", str(sent.integration_id))
        if integration.type != sent.channel:
            raise ValidationFailed.one(
                field,
                f"{field} must name an {sent.channel} integration; integration "
                f"{integration.id} is an {integration.type} one.",
            )
    elif sent.integration_id is not None:
        raise ValidationFailed.one(
            field, f"{field}: {sent.channel} messages are sent without an integration."
        )
    return {
        "id": message_id,
        "channel": sent.channel,
        "integration_id": None if sent.integration_id is None else str(sent.integration_id),
        "template_id": sent.template_id,
        "primary_lang": sent.primary_lang,
        "subject": sent.subject,
        "content": sent.content,
    }


def _message_ids(
    sent: Sequence[MessageIn], kept: Sequence[Mapping[str, Any]]
) -> builtins.list[str]:
    """Each message's id: the existing one it names, or a new one."""
    known = {m["id"] for m in kept}
    taken: set[str] = set()
    chosen: builtins.list[str] = []
    for index, message in enumerate(sent):
        if message.id is not None:
            if message.id not in known:
                raise NotFound("message", message.id)
            if message.id in taken:
                raise ValidationFailed.one(
                    f"messages.{index}.id", f"messages.{index}.id names a message twice."
                )
            taken.add(message.id)
        chosen.append(message.id or "")
    for index, message_id in enumerate(chosen):
        if message_id:
            continue
        while not message_id or message_id in taken:
            message_id = str(_MESSAGE_ID_LOW + secrets.randbelow(9 * _MESSAGE_ID_LOW))
        chosen[index] = message_id
        taken.add(message_id)
    return chosen


async def _messages(
    uow: UnitOfWork, actor: Actor, sent: Sequence[MessageIn], kept: Sequence[Mapping[str, Any]]
) -> builtins.list[dict[str, Any]]:
    ids = _message_ids(sent, kept)
    return [await _message(uow, actor, i, m, ids[i]) for i, m in enumerate(sent)]


async def _entering(
    uow: UnitOfWork, actor: Actor, deal_id: int, status: str, state: Mapping[str, Any]
) -> dict[str, Any]:
    """The values that go with entering `status`: the effective status from the deal and the
    run bookkeeping. The deal is read unlocked: a deal change that commits later locks this
    campaign in its cascade and sees the new status."""
    deal = await uow.hood_deals.get(actor.account_id, deal_id)
    deal_status = deal.effective_status if deal is not None else "inactive"
    return {
        "status": status,
        "effective_status": campaign_effective(status, deal_status),
        **schedule_values(status, state["scheduled_time"], state["run_counter"]),
    }


async def _write(
    uow: UnitOfWork,
    actor: Actor,
    current: Campaign,
    new: Mapping[str, Any],
    *,
    action: str = "update",
) -> Campaign:
    before = _state(current)
    changed = diff(
        {k: _shown(v) for k, v in before.items()}, {k: _shown(v) for k, v in new.items()}
    )
    if not changed:
        return current
    now = _now()
    version = await change.update(
        uow,
        actor,
        _target(current),
        values={k: _stored(new[k]) for k in changed},
        changes=changed,
        action=action,
        at=now,
    )
    updates = {k: new[k] for k in changed}
    return dataclasses.replace(current, **updates, version=version, update_time=now)


async def create(
    uow: UnitOfWork, actor: Actor, *, draft: CampaignDraft, id: int | None = None
) -> Campaign:
    """A new campaign of a deal; `id`: the id to give it (else one is issued)."""
    deal = await _deal(uow, actor, draft.deal_id, lock=True)
    objects = {name: (draft.objects or {}).get(name) for name in OBJECT_FIELDS}
    messages = await _messages(uow, actor, draft.messages, ())
    check_messages(messages, objects["ab_test"])
    strategy = strategy_of(draft.run_immediately, draft.scheduled_time)
    status = initial_status(draft.is_draft, strategy)
    now = _now()
    check_startable(status, messages, draft.scheduled_time, now)
    state: dict[str, Any] = {
        "deal_id": deal.id,
        "name": draft.name,
        "description": draft.description,
        "labels": builtins.list(draft.labels),
        "messages": messages,
        **objects,
        "send_strategy": strategy,
        "send_in_profile_time_zone": draft.send_in_profile_time_zone,
        "send_if_profile_time_passed": draft.send_if_profile_time_passed,
        "scheduled_time": draft.scheduled_time,
        "run_counter": 0,
        "was_launched": False,
        "status_reason": None,
        "archived": 0,
    }
    state |= {
        "status": status,
        "effective_status": campaign_effective(status, deal.effective_status),
        "next_run_time": None,
        **schedule_values(status, draft.scheduled_time, 0),
    }
    key = await change.create(
        uow,
        actor,
        Kind.HOOD_CAMPAIGN,
        {
            **{k: _stored(v) for k, v in state.items()},
            "create_time": now,
            "update_time": now,
        },
        changes=change.created({k: _shown(v) for k, v in state.items()}),
        at=now,
        key=id,
    )
    return await get(uow, actor, campaign_id=int(key))


def _execution(current: Campaign, patch: CampaignPatch) -> tuple[str, datetime | None]:
    """The send strategy and scheduled time after the PATCH."""
    strategy, scheduled = current.send_strategy, current.scheduled_time
    if patch.scheduled_time is not UNSET:
        scheduled = patch.scheduled_time
        if scheduled is not None:
            strategy = "scheduled"
        elif strategy == "scheduled":
            strategy = "manual"
    if patch.run_immediately is True:
        strategy, scheduled = "immediate", None
    elif patch.run_immediately is False and strategy == "immediate":
        strategy = "manual"
    return strategy, scheduled


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    campaign_id: int,
    patch: CampaignPatch,
    if_match: str | None = None,
) -> Campaign:
    """Merge the PATCH (RFC 7386) into the campaign; its execution options may move it out of
    draft, never back."""
    if patch.is_empty():
        raise EmptyPatch.one(None, "At least one of the updatable fields should be sent.")
    current = await _locked(uow, actor, campaign_id, if_match)
    _refuse_archived(current)
    new = _state(current) | dict(patch.values)
    for name, sent in patch.objects.items():
        merged = None if sent is None else merge_patch(new[name], sent)
        new[name] = None if merged is None else object_field(name, merged)
    if patch.messages is not UNSET:
        new["messages"] = await _messages(uow, actor, patch.messages, current.messages)
    check_messages(new["messages"], new["ab_test"])
    strategy, scheduled = _execution(current, patch)
    execution_sent = patch.run_immediately is not None or patch.scheduled_time is not UNSET
    status = patched_status(
        current.status, strategy, is_draft=patch.is_draft, execution_sent=execution_sent
    )
    check_transition("patch", current.status, status)
    new |= {"send_strategy": strategy, "scheduled_time": scheduled}
    moved = status != current.status or scheduled != current.scheduled_time
    if moved:
        new |= await _entering(uow, actor, current.deal_id, status, new)
    check_startable(status, new["messages"], scheduled, _now() if moved else None)
    return await _write(uow, actor, current, new)


async def _act(
    uow: UnitOfWork,
    actor: Actor,
    campaign_id: int,
    action: str,
    status: str,
    *,
    if_match: str | None,
    reason: str | None,
    execution: Mapping[str, Any] | None = None,
) -> Campaign:
    current = await _locked(uow, actor, campaign_id, if_match)
    _refuse_archived(current)
    check_transition(action, current.status, status)
    new = _state(current) | dict(execution or {}) | {"status_reason": reason}
    new |= await _entering(uow, actor, current.deal_id, status, new)
    check_startable(status, new["messages"], new["scheduled_time"], _now())
    return await _write(uow, actor, current, new)


async def pause(
    uow: UnitOfWork, actor: Actor, *, campaign_id: int, reason: str | None, if_match: str | None
) -> Campaign:
    return await _act(uow, actor, campaign_id, "pause", "paused", if_match=if_match, reason=reason)


async def cancel(
    uow: UnitOfWork, actor: Actor, *, campaign_id: int, reason: str | None, if_match: str | None
) -> Campaign:
    return await _act(
        uow, actor, campaign_id, "cancel", "canceled", if_match=if_match, reason=reason
    )


async def resume(
    uow: UnitOfWork, actor: Actor, *, campaign_id: int, resume: Resume, if_match: str | None
) -> Campaign:
    strategy = strategy_of(resume.run_immediately, resume.scheduled_time)
    execution = {"send_strategy": strategy, "scheduled_time": resume.scheduled_time}
    return await _act(
        uow,
        actor,
        campaign_id,
        "resume",
        STARTS[strategy],
        if_match=if_match,
        reason=None,
        execution=execution,
    )


async def archive(
    uow: UnitOfWork, actor: Actor, *, campaign_id: int, if_match: str | None
) -> Campaign:
    """Archiving an archived campaign changes nothing; an active one (running, scheduled) is
    refused by the transition table."""
    current = await _locked(uow, actor, campaign_id, if_match)
    if current.archived:
        return current
    check_transition("archive", current.status, current.status)
    return await _write(uow, actor, current, _state(current) | {"archived": 1}, action="archive")


async def history_of(
    uow: UnitOfWork, actor: Actor, *, object_id: int, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    await get(uow, actor, campaign_id=object_id)
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=object_id, limit=limit, offset=offset
    )
