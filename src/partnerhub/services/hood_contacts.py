"""Hood partner contacts: typed values (email, phone, …) hanging off a partner."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from partnerhub.domain import validators
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import Changes, HistoryEntry, diff
from partnerhub.domain.hood_partners import Contact, check_contact_room
from partnerhub.domain.objects import Kind
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound
from partnerhub.services import change, history
from partnerhub.storage.unit_of_work import UnitOfWork

CONTACT_OBJECT_TYPE = Kind.HOOD_CONTACT.value


async def _partner_exists(
    uow: UnitOfWork, actor: Actor, partner_id: int, *, lock: bool = False
) -> None:
    """`lock` takes the partner's row lock: a partner PATCH's legacy `contact` writes contacts
    under it too, so every write of a contact queues on it (partner first, then contact)."""
    if await uow.hood_partners.get(actor.account_id, partner_id, lock=lock) is None:
        raise NotFound("partner", str(partner_id))


async def _get(
    uow: UnitOfWork, actor: Actor, partner_id: int, contact_id: str, *, lock: bool = False
) -> Contact:
    await _partner_exists(uow, actor, partner_id, lock=lock)
    contact = await uow.hood_contacts.get(actor.account_id, partner_id, contact_id, lock=lock)
    if contact is None:
        raise NotFound("contact", contact_id)
    return contact


def _state(contact: Contact) -> dict[str, str]:
    return {"type": contact.type, "value": contact.value}


def _history_id(partner_id: int, contact_id: str) -> str:
    """Contact history is kept under its partner: read only there, and still after a delete."""
    return f"{partner_id}/{contact_id}"


def _target(contact: Contact) -> change.Target:
    return change.Target(
        Kind.HOOD_CONTACT, contact.id, contact.version, _history_id(contact.partner_id, contact.id)
    )


def _row(partner_id: int, seq: int, ctype: str, value: str, now: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "partner_id": partner_id,
        "seq": seq,
        "type": ctype,
        "value": value,
        "create_time": now,
        "update_time": now,
    }


async def _create(
    uow: UnitOfWork, actor: Actor, rows: builtins.list[dict[str, Any]], now: datetime
) -> None:
    await change.create_many(
        uow,
        actor,
        Kind.HOOD_CONTACT,
        [
            (row, change.created(_state_of(row)), _history_id(row["partner_id"], row["id"]))
            for row in rows
        ],
        at=now,
    )


def _state_of(row: Mapping[str, Any]) -> dict[str, str]:
    return {"type": row["type"], "value": row["value"]}


async def insert_for_new_partner(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: int,
    contacts: Iterable[tuple[str, str]],
    now: datetime,
) -> builtins.list[dict[str, Any]]:
    """The contacts a partner is created with (`seq` from 1), each with its history entry."""
    rows = [
        _row(partner_id, seq, ctype, value, now)
        for seq, (ctype, value) in enumerate(contacts, start=1)
    ]
    check_contact_room(0, len(rows))
    await _create(uow, actor, rows, now)
    return rows


async def apply_legacy_contact(
    uow: UnitOfWork, actor: Actor, partner_id: int, contact: Mapping[str, str | None]
) -> Changes:
    """A partner PATCH's legacy `contact` object: per type, set the first value (or, with
    None, drop every value of that type); the partner's history lines for it."""
    existing = (await uow.hood_contacts.for_partners(actor.account_id, [partner_id]))[partner_id]
    by_type: dict[str, builtins.list[Contact]] = {}
    for c in existing:
        by_type.setdefault(c.type, []).append(c)
    now = utcnow()
    seq = max((c.seq for c in existing), default=0)
    inserts: builtins.list[dict[str, Any]] = []
    deletes: builtins.list[tuple[change.Target, Changes]] = []
    changes: Changes = {}
    for ctype, value in contact.items():
        same_type = by_type.get(ctype, [])
        before = same_type[0].value if same_type else None
        if before == value:
            continue
        if value is None:
            deletes += [(_target(c), diff(_state(c), {})) for c in same_type]
        elif same_type:
            first = same_type[0]
            await change.update(
                uow,
                actor,
                _target(first),
                values={"value": value},
                changes=diff(_state(first), {"type": ctype, "value": value}),
                at=now,
            )
        else:
            seq += 1
            inserts.append(_row(partner_id, seq, ctype, value, now))
        changes[f"contact.{ctype}"] = {"old": before, "new": value}
    check_contact_room(len(existing) - len(deletes), len(inserts))
    await change.delete_many(uow, actor, deletes, at=now)
    await _create(uow, actor, inserts, now)
    return changes


async def list(uow: UnitOfWork, actor: Actor, *, partner_id: int) -> builtins.list[Contact]:
    await _partner_exists(uow, actor, partner_id)
    return (await uow.hood_contacts.for_partners(actor.account_id, [partner_id]))[partner_id]


async def get(uow: UnitOfWork, actor: Actor, *, partner_id: int, contact_id: str) -> Contact:
    return await _get(uow, actor, partner_id, contact_id)


async def create(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, type: str, value: str
) -> Contact:
    await _partner_exists(uow, actor, partner_id, lock=True)
    present = await uow.hood_contacts.for_partners(actor.account_id, [partner_id])
    check_contact_room(len(present[partner_id]), 1)
    seq = await uow.hood_contacts.next_seq(actor.account_id, partner_id)
    now = utcnow()
    row = _row(partner_id, seq, type, value, now)
    await _create(uow, actor, [row], now)
    return await _get(uow, actor, partner_id, row["id"])


async def patch(
    uow: UnitOfWork,
    actor: Actor,
    *,
    partner_id: int,
    contact_id: str,
    type: str | None = None,
    value: str | None = None,
    if_match: str | None = None,
) -> Contact:
    if type is None and value is None:
        raise EmptyPatch.one(None, "At least one of the updatable fields should be sent.")
    current = await _get(uow, actor, partner_id, contact_id, lock=True)
    check_if_match(if_match, current.version)
    new_type = type or current.type
    new_value = validators.contact_value(
        new_type, value if value is not None else current.value, "value"
    )
    after = {"type": new_type, "value": new_value}
    changes = diff(_state(current), after)
    if not changes:
        return current
    await change.update(uow, actor, _target(current), values=after, changes=changes)
    return await _get(uow, actor, partner_id, contact_id)


async def delete(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, contact_id: str, if_match: str | None = None
) -> None:
    current = await _get(uow, actor, partner_id, contact_id, lock=True)
    check_if_match(if_match, current.version)
    await change.delete(uow, actor, _target(current), changes=diff(_state(current), {}))


async def history_of(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, contact_id: str, limit: int, offset: int
) -> tuple[int, builtins.list[HistoryEntry]]:
    """A contact's history, newest first; still readable after the contact is deleted."""
    await _partner_exists(uow, actor, partner_id)
    total, entries = await history.list(
        uow,
        actor,
        object_type=CONTACT_OBJECT_TYPE,
        object_id=_history_id(partner_id, contact_id),
        limit=limit,
        offset=offset,
    )
    if total == 0:
        raise NotFound("contact", contact_id)
    return total, entries
