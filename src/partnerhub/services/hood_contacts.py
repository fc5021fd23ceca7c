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
from partnerhub.domain.history import HistoryEntry, diff
from partnerhub.domain.hood_partners import Contact
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound
from partnerhub.services import history
from partnerhub.storage.unit_of_work import UnitOfWork

CONTACT_OBJECT_TYPE = "hood.partner_contact"


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


async def _record(
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
        object_id=_history_id(partner_id, contact_id),
        version=version,
        action=action,
        changes=diff(
            {k: before[k] for k in fields} if before else {},
            {k: after[k] for k in fields} if after else {},
        ),
    )


def _row(partner_id: int, seq: int, ctype: str, value: str, now: Any) -> dict[str, Any]:
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


async def insert_for_new_partner(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: int,
    contacts: Iterable[tuple[str, str]],
    now: datetime,
) -> builtins.list[dict[str, Any]]:
    """The contacts a partner is created with (`seq` from 1), each with its history entry."""
    contact_rows = [
        _row(partner_id, seq, ctype, value, now)
        for seq, (ctype, value) in enumerate(contacts, start=1)
    ]
    await uow.hood_contacts.insert_many(actor.account_id, contact_rows)
    for row in contact_rows:
        await _record(uow, actor, partner_id, row["id"], 1, "create", None, row)
    return contact_rows


async def apply_legacy_contact(
    uow: UnitOfWork, actor: Actor, partner_id: int, contact: Mapping[str, str | None]
) -> dict[str, dict[str, Any]]:
    """A partner PATCH's legacy `contact` object: per type, set the first value (or, with
    None, drop every value of that type); the partner's history lines for it."""
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
                await _record(
                    uow, actor, partner_id, c.id, c.version + 1, "delete", _state(c), None
                )
        elif same_type:
            first = same_type[0]
            await uow.hood_contacts.update(
                actor.account_id,
                first.id,
                {"value": value, "version": first.version + 1, "update_time": now},
            )
            await _record(
                uow,
                actor,
                partner_id,
                first.id,
                first.version + 1,
                "update",
                _state(first),
                {"type": ctype, "value": value},
            )
        else:
            seq += 1
            inserts.append(_row(partner_id, seq, ctype, value, now))
            row = inserts[-1]
            await _record(uow, actor, partner_id, row["id"], 1, "create", None, row)
        changes[f"contact.{ctype}"] = {"old": before, "new": value}
    await uow.hood_contacts.insert_many(actor.account_id, inserts)
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
    seq = await uow.hood_contacts.next_seq(actor.account_id, partner_id)
    row = _row(partner_id, seq, type, value, utcnow())
    await uow.hood_contacts.insert_many(actor.account_id, [row])
    await _record(uow, actor, partner_id, row["id"], 1, "create", None, row)
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
    changes = diff(_state(current), {"type": new_type, "value": new_value})
    if not changes:
        return current
    version, now = current.version + 1, utcnow()
    await uow.hood_contacts.update(
        actor.account_id,
        contact_id,
        {"type": new_type, "value": new_value, "version": version, "update_time": now},
    )
    after = {"type": new_type, "value": new_value}
    await _record(uow, actor, partner_id, contact_id, version, "update", _state(current), after)
    return await _get(uow, actor, partner_id, contact_id)


async def delete(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, contact_id: str, if_match: str | None = None
) -> None:
    current = await _get(uow, actor, partner_id, contact_id, lock=True)
    check_if_match(if_match, current.version)
    await uow.hood_contacts.delete(actor.account_id, [contact_id])
    await _record(
        uow, actor, partner_id, contact_id, current.version + 1, "delete", _state(current), None
    )


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
