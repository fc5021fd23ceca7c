"""Hood partner contacts: typed values (email, phone, …) hanging off a partner."""

from __future__ import annotations

import builtins

from partnerhub.domain import validators
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.history import HistoryEntry, diff
from partnerhub.domain.partners import Contact
from partnerhub.domain.versioning import check_if_match
from partnerhub.errors import EmptyPatch, NotFound
from partnerhub.services import history
from partnerhub.services.partners import (
    CONTACT_OBJECT_TYPE,
    contact_history_id,
    contact_row,
    record_contact,
)
from partnerhub.storage.unit_of_work import UnitOfWork


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
    row = contact_row(partner_id, seq, type, value, utcnow())
    await uow.hood_contacts.insert_many(actor.account_id, [row])
    await record_contact(uow, actor, partner_id, row["id"], 1, "create", None, row)
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
    await record_contact(
        uow, actor, partner_id, contact_id, version, "update", _state(current), after
    )
    return await _get(uow, actor, partner_id, contact_id)


async def delete(
    uow: UnitOfWork, actor: Actor, *, partner_id: int, contact_id: str, if_match: str | None = None
) -> None:
    current = await _get(uow, actor, partner_id, contact_id, lock=True)
    check_if_match(if_match, current.version)
    await uow.hood_contacts.delete(actor.account_id, [contact_id])
    await record_contact(
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
        object_id=contact_history_id(partner_id, contact_id),
        limit=limit,
        offset=offset,
    )
    if total == 0:
        raise NotFound("contact", contact_id)
    return total, entries
