"""A unique or foreign-key violation, whichever driver reports it, reaches the service as the
domain error the rule means (storage/integrity.py), naming the field."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from harness import World
from partnerhub.errors import Conflict, ValidationFailed
from partnerhub.storage.integrity import MissingReference, UniqueViolation
from partnerhub.storage.tables import accounts, core_partners


async def _root_copy(world: World, **changes: object) -> dict[str, object]:
    """The values of alice's root partner, as a new partner's row with `changes`."""
    async with world.runtime.db.transaction() as uow:
        row = (
            await uow.conn.execute(
                select(core_partners).where(
                    core_partners.c.account_id == world.alice.account_id,
                    core_partners.c.parent_id.is_(None),
                )
            )
        ).one()
    values = dict(row._mapping)
    del values["id"]
    values.update(partner_sid=str(uuid.uuid4()), display_id=f"CX{uuid.uuid4().int % 10**8:08d}")
    values.update(changes)
    return values


async def _insert(world: World, table: object, values: dict[str, object]) -> None:
    async with world.runtime.db.transaction(write=True) as uow:
        await uow.conn.execute(table.insert().values(**values))  # type: ignore[attr-defined]


async def test_a_login_differing_only_in_case_is_a_conflict_on_login(world: World) -> None:
    copy = await _root_copy(world)
    copy["login"] = str(copy["login"]).upper()
    with pytest.raises(UniqueViolation) as raised:
        await _insert(world, core_partners, copy)
    assert isinstance(raised.value, Conflict) and raised.value.field == "login"
    assert raised.value.constraint == "uq_core_partners_login_lower"


async def test_a_duplicate_account_name_is_a_conflict_on_name(world: World) -> None:
    async with world.runtime.db.transaction() as uow:
        name, created = (
            await uow.conn.execute(
                select(accounts.c.name, accounts.c.created_at).where(
                    accounts.c.id == world.alice.account_id
                )
            )
        ).one()
    with pytest.raises(UniqueViolation) as raised:
        await _insert(world, accounts, {"name": name, "created_at": created})
    assert raised.value.field == "name"


async def test_a_vanished_parent_is_a_validation_error_on_parent_sid(world: World) -> None:
    copy = await _root_copy(world, login=f"orphan-{uuid.uuid4().hex[:8]}", parent_id=987654321)
    with pytest.raises(MissingReference) as raised:
        await _insert(world, core_partners, copy)
    assert isinstance(raised.value, ValidationFailed)
    assert [p.field for p in raised.value.problems] == ["parent_sid"]
    async with world.runtime.db.transaction() as uow:
        count = (await uow.conn.execute(select(func.count()).select_from(core_partners))).scalar()
    assert count == 2  # alice's and bob's roots: nothing was written


async def test_deleting_a_referenced_parent_is_a_conflict(world: World) -> None:
    copy = await _root_copy(world, login=f"child-{uuid.uuid4().hex[:8]}")
    async with world.runtime.db.transaction() as uow:
        root_id = (
            await uow.conn.execute(
                select(core_partners.c.id).where(
                    core_partners.c.account_id == world.alice.account_id,
                    core_partners.c.parent_id.is_(None),
                )
            )
        ).scalar_one()
    await _insert(world, core_partners, {**copy, "parent_id": root_id, "path": "/x/"})
    with pytest.raises(Conflict):
        async with world.runtime.db.transaction(write=True) as uow:
            await uow.conn.execute(core_partners.delete().where(core_partners.c.id == root_id))
