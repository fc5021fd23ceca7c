"""Hood deals: create, read, list, patch, archive, and history.

A deal's `effective_status` is its status while its partner is active (domain.hood_effective);
a status change moves it in the same change, and its campaigns follow (services.hood_cascades).
"""

from __future__ import annotations

import builtins
import dataclasses
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import HistoryEntry, diff
from partnerhub.domain.hood_deals import (
    PRICE_MAPS,
    Deal,
    DealDraft,
    DealPatch,
    merge_prices,
    shown,
    state,
    stored,
)
from partnerhub.domain.hood_effective import deal_effective
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.domain.hood_partners import Partner
from partnerhub.domain.objects import Kind
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound, RuleViolation, ValidationFailed
from partnerhub.services import change, history, hood_cascades
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = Kind.HOOD_DEAL.value
ARCHIVED_MESSAGE = "Archived deals can not be updated."  # Ocamba's words


def _now() -> datetime:
    """To the second, as Hood shows and filters times (see hood_partners._now)."""
    return utcnow().replace(microsecond=0)


def _target(deal: Deal) -> change.Target:
    return change.Target(Kind.HOOD_DEAL, deal.id, deal.version)


async def _found(uow: UnitOfWork, actor: Actor, deal_id: int, *, lock: bool = False) -> Deal:
    deal = await uow.hood_deals.get(actor.account_id, deal_id, lock=lock)
    if deal is None:
        raise NotFound("deal", str(deal_id))
    return deal


async def get(uow: UnitOfWork, actor: Actor, *, deal_id: int) -> Deal:
    return await _found(uow, actor, deal_id)


async def list(
    uow: UnitOfWork, actor: Actor, *, query: ListQuery, spec: ResourceSpec
) -> tuple[int, builtins.list[Deal]]:
    return await uow.hood_deals.list(actor.account_id, query, spec)


async def _partner(uow: UnitOfWork, actor: Actor, partner_id: int) -> Partner:
    """The new deal's partner, locked: a concurrent partner status change or archive waits
    for the deal (and then finds it among the partner's deals)."""
    partner = await uow.hood_partners.get(actor.account_id, partner_id, lock=True)
    if partner is None:
        raise ValidationFailed.one(
            "partner_id",
            "Unknown partner id. partner_id must be a partner of this account.",
            "UNKNOWN_PARTNER",
        )
    if partner.archived:
        raise ValidationFailed.one(
            "partner_id", "partner_id must not be an archived partner.", "ARCHIVED_PARTNER"
        )
    return partner


async def create(uow: UnitOfWork, actor: Actor, *, draft: DealDraft, id: int | None = None) -> Deal:
    """A new deal of a partner; `id`: the id to give it (else one is issued)."""
    partner = await _partner(uow, actor, draft.partner_id)
    fields: dict[str, Any] = {
        **draft.values(),
        "effective_status": deal_effective(draft.status, partner.status),
    }
    now = _now()
    row = {
        "partner_id": partner.id,
        **{name: stored(name, value) for name, value in fields.items()},
        "system": 0,
        "is_default": 0,
        "archived": 0,
        "create_time": now,
        "update_time": now,
    }
    history_state = {
        "partner_id": str(partner.id),
        **{name: shown(name, value) for name, value in fields.items()},
        "archived": 0,
    }
    key = await change.create(
        uow, actor, Kind.HOOD_DEAL, row, changes=change.created(history_state), at=now, key=id
    )
    return await _found(uow, actor, int(key))


async def _partner_status(uow: UnitOfWork, actor: Actor, partner_id: int) -> str:
    """Read without a lock: a concurrent partner status change locks the partner, then waits
    for this deal's lock and recomputes the deal's effective status from its new status."""
    partner = await uow.hood_partners.get(actor.account_id, partner_id)
    assert partner is not None, "a deal's partner is deleted with it"
    return partner.status


async def patch(
    uow: UnitOfWork, actor: Actor, *, deal_id: int, patch: DealPatch, if_match: str | None = None
) -> Deal:
    """Apply the fields sent; leave the rest."""
    sent = patch.sent()
    if not sent:
        raise EmptyPatch.one(None, "At least one of the updatable fields should be sent.")
    current = await _found(uow, actor, deal_id, lock=True)
    check_if_match(if_match, current.version)
    if current.archived:
        raise RuleViolation(ARCHIVED_MESSAGE, field="archived")
    new: dict[str, Any] = {
        name: merge_prices(name, getattr(current, name), value) if name in PRICE_MAPS else value
        for name, value in sent.items()
    }
    if "status" in new:
        partner_status = await _partner_status(uow, actor, current.partner_id)
        new["effective_status"] = deal_effective(new["status"], partner_status)
    changes = diff(state(current, new), {name: shown(name, v) for name, v in new.items()})
    if not changes:
        return current
    now = _now()
    version = await change.update(
        uow,
        actor,
        _target(current),
        values={name: stored(name, new[name]) for name in changes},
        changes=changes,
        at=now,
    )
    if "effective_status" in changes:
        await hood_cascades.deal_effective_changed(
            uow,
            actor,
            deal_id=deal_id,
            effective_status=new["effective_status"],
            cause=f"deal {deal_id} status",
        )
    updated = {name: new[name] for name in changes}
    return dataclasses.replace(current, **updated, version=version, update_time=now)


async def archive(
    uow: UnitOfWork, actor: Actor, *, deal_id: int, if_match: str | None = None
) -> Deal:
    """Refused while the deal has an active campaign; else its campaigns are archived with it.
    Archiving an archived deal changes nothing."""
    current = await _found(uow, actor, deal_id, lock=True)
    check_if_match(if_match, current.version)
    if current.archived:
        return current
    await hood_cascades.deal_archiving(uow, actor, deal_id=deal_id)
    now = _now()
    version = await change.update(
        uow,
        actor,
        _target(current),
        values={"archived": 1},
        changes={"archived": {"old": 0, "new": 1}},
        action="archive",
        at=now,
    )
    return dataclasses.replace(current, archived=1, version=version, update_time=now)


async def history_of(
    uow: UnitOfWork, actor: Actor, *, object_id: int, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    await _found(uow, actor, object_id)
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=object_id, limit=limit, offset=offset
    )
