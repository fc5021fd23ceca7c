"""Hood partners: create, read, list, patch, archive and unarchive."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import diff
from partnerhub.domain.listquery import ListQuery, ResourceSpec
from partnerhub.domain.partners import (
    Contact,
    Partner,
    PartnerDraft,
    PartnerView,
    check_all_or_nothing,
    merge_nested,
)
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound, ValidationFailed
from partnerhub.services import history
from partnerhub.storage.unit_of_work import UnitOfWork

OBJECT_TYPE = "hood.partner"
CONTACT_OBJECT_TYPE = "hood.partner_contact"


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


async def create(uow: UnitOfWork, actor: Actor, *, draft: PartnerDraft) -> PartnerView:
    check_all_or_nothing(
        {"payment_terms": draft.payment_terms, "billing_address": draft.billing_address}
    )
    await _check_managers(uow, actor, draft.manager_ids)
    now = _now()
    values = {
        "version": 1,
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
    partner_id = await uow.hood_partners.insert(actor.account_id, values)
    contact_rows = [
        contact_row(partner_id, seq, ctype, value, now)
        for seq, (ctype, value) in enumerate(draft.contacts, start=1)
    ]
    await uow.hood_contacts.insert_many(actor.account_id, contact_rows)
    for row in contact_rows:
        await record_contact(uow, actor, partner_id, row["id"], 1, "create", None, row)
    state = {
        k: v
        for k, v in values.items()
        if k not in ("version", "system", "create_time", "update_time")
    }
    state["contacts"] = [{"type": r["type"], "value": r["value"]} for r in contact_rows] or None
    await history.record(
        uow,
        actor,
        object_type=OBJECT_TYPE,
        object_id=partner_id,
        version=1,
        action="create",
        changes=history.created(state),
    )
    return await get(uow, actor, partner_id=partner_id)


def contact_history_id(partner_id: int, contact_id: str) -> str:
    """Contact history is kept under its partner: read only there, and still after a delete."""
    return f"{partner_id}/{contact_id}"


async def record_contact(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: int,
    contact_id: str,
    version: int,
    action: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """A contact's own history entry, whichever route changed it."""
    fields = ("type", "value")
    await history.record(
        uow,
        actor,
        object_type=CONTACT_OBJECT_TYPE,
        object_id=contact_history_id(partner_id, contact_id),
        version=version,
        action=action,
        changes=diff(
            {k: before[k] for k in fields} if before else {},
            {k: after[k] for k in fields} if after else {},
        ),
    )


def contact_row(partner_id: int, seq: int, ctype: str, value: str, now: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "partner_id": partner_id,
        "version": 1,
        "seq": seq,
        "type": ctype,
        "value": value,
        "create_time": now,
        "update_time": now,
    }


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_id: int,
    changes: Mapping[str, Any],
    contact: Mapping[str, str | None] | None = None,
    if_match: str | None = None,
) -> Partner:
    """Apply the fields sent; leave the rest. `contact` sets (or, with None, drops) one value
    per contact type, as the legacy `contact` object does."""
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
        field_changes |= await _apply_legacy_contact(uow, actor, current.id, contact)
    if not field_changes:
        return current
    version = current.version + 1
    now = _now()
    updates = {k: new_state[k] for k in field_changes if k in new_state}
    await uow.hood_partners.update(
        actor.account_id, partner_id, {**updates, "version": version, "update_time": now}
    )
    await history.record(
        uow,
        actor,
        object_type=OBJECT_TYPE,
        object_id=partner_id,
        version=version,
        action="update",
        changes=field_changes,
    )
    return Partner(**{**_fields(current), **updates, "version": version, "update_time": now})


def _fields(partner: Partner) -> dict[str, Any]:
    return {name: getattr(partner, name) for name in Partner.__slots__}


async def _apply_legacy_contact(
    uow: UnitOfWork, actor: Actor, partner_id: int, contact: Mapping[str, str | None]
) -> dict[str, dict[str, Any]]:
    existing = (await uow.hood_contacts.for_partners(actor.account_id, [partner_id]))[partner_id]
    by_type: dict[str, builtins.list[Contact]] = {}
    for c in existing:
        by_type.setdefault(c.type, []).append(c)
    now = utcnow()
    seq = max((c.seq for c in existing), default=0)
    inserts: builtins.list[dict[str, Any]] = []
    changes: dict[str, dict[str, Any]] = {}
    for ctype, value in contact.items():
        same_type = by_type.get(ctype, [])
        before = same_type[0].value if same_type else None
        if before == value:
            continue
        if value is None:
            await uow.hood_contacts.delete(actor.account_id, [c.id for c in same_type])
            for c in same_type:
                await record_contact(
                    uow, actor, partner_id, c.id, c.version + 1, "delete", _contact_state(c), None
                )
        elif same_type:
            first = same_type[0]
            await uow.hood_contacts.update(
                actor.account_id,
                first.id,
                {"value": value, "version": first.version + 1, "update_time": now},
            )
            await record_contact(
                uow,
                actor,
                partner_id,
                first.id,
                first.version + 1,
                "update",
                _contact_state(first),
                {"type": ctype, "value": value},
            )
        else:
            seq += 1
            inserts.append(contact_row(partner_id, seq, ctype, value, now))
            row = inserts[-1]
            await record_contact(uow, actor, partner_id, row["id"], 1, "create", None, row)
        changes[f"contact.{ctype}"] = {"old": before, "new": value}
    await uow.hood_contacts.insert_many(actor.account_id, inserts)
    return changes


def _contact_state(contact: Contact) -> dict[str, str]:
    return {"type": contact.type, "value": contact.value}


async def set_archived(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, archived: bool, if_match: str | None = None
) -> Partner:
    current = await get_locked(uow, actor, partner_id)
    check_if_match(if_match, current.version)
    flag = int(archived)
    if current.archived == flag:
        return current
    version, now = current.version + 1, _now()
    await uow.hood_partners.update(
        actor.account_id, partner_id, {"archived": flag, "version": version, "update_time": now}
    )
    await history.record(
        uow,
        actor,
        object_type=OBJECT_TYPE,
        object_id=partner_id,
        version=version,
        action="archive" if archived else "unarchive",
        changes={"archived": {"old": current.archived, "new": flag}},
    )
    return Partner(**{**_fields(current), "archived": flag, "version": version, "update_time": now})
