"""Hood partners: create, read, list, patch, archive and unarchive."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import HistoryEntry, diff
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec
from partnerhub.domain.hood_partners import (
    Partner,
    PartnerDraft,
    PartnerPatch,
    PartnerView,
    check_all_or_nothing,
    merge_nested,
)
from partnerhub.domain.objects import Kind
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound, ValidationFailed
from partnerhub.services import change, history, hood_cascades, hood_contacts
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = Kind.HOOD_PARTNER.value


def _now() -> datetime:
    """Partner times to the second: Hood shows and filters `create_time`/`update_time` as
    "YYYY-MM-DD HH:MM:SS", so a stored fraction would make `create_time=<shown value>` miss."""
    return utcnow().replace(microsecond=0)


async def _check_managers(uow: UnitOfWork, actor: Actor, manager_ids: Iterable[str]) -> None:
    ids = builtins.list(manager_ids)
    found = await uow.members.get_many(actor.account_id, [int(i) for i in ids])
    missing = [i for i in ids if int(i) not in found]
    if missing:
        raise ValidationFailed.one(
            "manager_ids",
            f"manager_ids must be members of this account; unknown: {', '.join(missing)}.",
            "UNKNOWN_MEMBER",
        )


async def get_locked(uow: UnitOfWork, actor: Actor, partner_id: int) -> Partner:
    partner = await uow.hood_partners.get(actor.account_id, partner_id, lock=True)
    if partner is None:
        raise NotFound("partner", str(partner_id))
    return partner


async def _views(
    uow: UnitOfWork, actor: Actor, partners: builtins.list[Partner], *, full: bool
) -> builtins.list[PartnerView]:
    manager_ids = {int(m) for p in partners for m in p.manager_ids}
    members = await uow.members.get_many(actor.account_id, manager_ids)
    contacts = (
        await uow.hood_contacts.for_partners(actor.account_id, [p.id for p in partners])
        if full
        else {}
    )
    return [
        PartnerView(
            partner=p,
            contacts=contacts.get(p.id, []),
            managers=[members[int(m)] for m in p.manager_ids if int(m) in members],
        )
        for p in partners
    ]


async def get(uow: UnitOfWork, actor: Actor, *, partner_id: int) -> PartnerView:
    partner = await uow.hood_partners.get(actor.account_id, partner_id)
    if partner is None:
        raise NotFound("partner", str(partner_id))
    return (await _views(uow, actor, [partner], full=True))[0]


async def list(
    uow: UnitOfWork, actor: Actor, *, query: ListQuery, spec: ResourceSpec, with_contacts: bool
) -> tuple[int, builtins.list[PartnerView]]:
    total, partners = await uow.hood_partners.list(actor.account_id, query, spec)
    return total, await _views(uow, actor, partners, full=with_contacts)


async def create(
    uow: UnitOfWork, actor: Actor, *, draft: PartnerDraft, id: int | None = None
) -> PartnerView:
    """A new partner and its contacts; `id`: the id to give it (else one is issued)."""
    check_all_or_nothing(
        {"payment_terms": draft.payment_terms, "billing_address": draft.billing_address}
    )
    await _check_managers(uow, actor, draft.manager_ids)
    now = _now()
    values = {
        "name": draft.name,
        "description": draft.description,
        "type": builtins.list(draft.type),
        "status": draft.status,
        "manager_ids": builtins.list(draft.manager_ids),
        "payment_terms": draft.payment_terms,
        "billing_address": draft.billing_address,
        "archived": 0,
        "system": 0,
        "create_time": now,
        "update_time": now,
    }
    state: dict[str, Any] = {
        k: v for k, v in values.items() if k not in ("system", "create_time", "update_time")
    }
    state["contacts"] = [{"type": t, "value": v} for t, v in draft.contacts] or None
    partner_id = int(
        await change.create(
            uow, actor, Kind.HOOD_PARTNER, values, changes=change.created(state), at=now, key=id
        )
    )
    await hood_contacts.insert_for_new_partner(uow, actor, partner_id, draft.contacts, now)
    return await get(uow, actor, partner_id=partner_id)


def _target(partner: Partner) -> change.Target:
    return change.Target(Kind.HOOD_PARTNER, partner.id, partner.version)


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_id: int,
    patch: PartnerPatch,
    if_match: str | None = None,
) -> Partner:
    """Apply the fields sent; leave the rest."""
    changes, contact = patch.changes(), patch.contact
    if not changes and not contact:
        raise EmptyPatch.one(None, "At least one of the updatable fields should be sent.")
    current = await get_locked(uow, actor, partner_id)
    check_if_match(if_match, current.version)
    new_state = current.state()
    for key, value in changes.items():
        if key in ("payment_terms", "billing_address"):
            new_state[key] = merge_nested(getattr(current, key), value)
        else:
            new_state[key] = value
    check_all_or_nothing(new_state)
    if "manager_ids" in changes:
        await _check_managers(uow, actor, new_state["manager_ids"])
    field_changes = diff(current.state(), new_state)
    if contact:
        field_changes |= await hood_contacts.apply_legacy_contact(uow, actor, current.id, contact)
    if not field_changes:
        return current
    now = _now()
    updates = {k: new_state[k] for k in field_changes if k in new_state}
    version = await change.update(
        uow, actor, _target(current), values=updates, changes=field_changes, at=now
    )
    if "status" in updates:
        await hood_cascades.partner_status_changed(
            uow, actor, partner_id=partner_id, status=updates["status"]
        )
    return Partner(**{**_fields(current), **updates, "version": version, "update_time": now})


def _fields(partner: Partner) -> dict[str, Any]:
    return {name: getattr(partner, name) for name in Partner.__slots__}


async def set_archived(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, archived: bool, if_match: str | None = None
) -> Partner:
    current = await get_locked(uow, actor, partner_id)
    check_if_match(if_match, current.version)
    flag = int(archived)
    if current.archived == flag:
        return current
    now = _now()
    version = await change.update(
        uow,
        actor,
        _target(current),
        values={"archived": flag},
        changes={"archived": {"old": current.archived, "new": flag}},
        action="archive" if archived else "unarchive",
        at=now,
    )
    if archived:
        await hood_cascades.partner_archived(uow, actor, partner_id=partner_id)
    return Partner(**{**_fields(current), "archived": flag, "version": version, "update_time": now})


async def history_of(
    uow: UnitOfWork, actor: Actor, *, object_id: int, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    await get(uow, actor, partner_id=object_id)
    return await history.list(
        uow, actor, object_type=OBJECT_TYPE, object_id=object_id, limit=limit, offset=offset
    )
