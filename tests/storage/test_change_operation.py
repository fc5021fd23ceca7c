"""The change operation, set-based: N objects created, updated and deleted in a number of
statements that does not depend on N, each with its own history entry at its new version."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from harness import World
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.objects import Kind
from partnerhub.services import change
from partnerhub.storage.tables import history, hood_partner_contacts

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


async def _partner(world: World) -> int:
    response = await world.client.post(
        "/v1/hood/partners",
        json={
            "manager_ids": [world.alice.member_ids[0]],
            "name": "Parent",
            "type": ["publisher"],
            "status": "active",
        },
        headers=world.alice.headers(),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _contact_rows(partner_id: int, n: int) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    now = utcnow()
    items = []
    for seq in range(1, n + 1):
        cid = str(uuid.uuid4())
        row = {
            "id": cid,
            "partner_id": partner_id,
            "seq": seq,
            "type": "email",
            "value": f"c{seq}@example.com",
            "create_time": now,
            "update_time": now,
        }
        items.append((row, change.created({"type": "email", "value": row["value"]}), cid))
    return items


async def _history(world: World, account_id: int) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        rows = await uow.conn.execute(
            select(history)
            .where(
                history.c.account_id == account_id,
                history.c.object_type == Kind.HOOD_CONTACT.value,
            )
            .order_by(history.c.id)
        )
        return list(rows)


async def _contacts(world: World, account_id: int) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        rows = await uow.conn.execute(
            select(hood_partner_contacts)
            .where(hood_partner_contacts.c.account_id == account_id)
            .order_by(hood_partner_contacts.c.seq)
        )
        return list(rows)


class TestSetBasedChange:
    @pytest.mark.parametrize("n", [10, 1000])
    async def test_statement_count_does_not_depend_on_n(self, world: World, n: int) -> None:
        actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
        partner_id = await _partner(world)
        seen: list[str] = []
        counted = {"create": 0, "update": 0, "delete": 0}

        def observe(sql: str) -> None:
            if not sql.strip().upper().startswith(TRANSACTION_CONTROL):
                seen.append(sql)

        with world.runtime.db.observe(observe):
            async with world.runtime.db.transaction(write=True) as uow:
                await change.create_many(
                    uow, actor, Kind.HOOD_CONTACT, _contact_rows(partner_id, n)
                )
            counted["create"], seen[:] = len(seen), []

            stored = await _contacts(world, world.alice.account_id)
            seen[:] = []
            async with world.runtime.db.transaction(write=True) as uow:
                await change.update_many(
                    uow,
                    actor,
                    [
                        (
                            change.Target(Kind.HOOD_CONTACT, r.id, r.version),
                            {"value": {"old": r.value, "new": "same@example.com"}},
                        )
                        for r in stored
                    ],
                    values={"value": "same@example.com"},
                )
            counted["update"], seen[:] = len(seen), []

            async with world.runtime.db.transaction(write=True) as uow:
                await change.delete_many(
                    uow,
                    actor,
                    [(change.Target(Kind.HOOD_CONTACT, r.id, r.version + 1), {}) for r in stored],
                )
            counted["delete"] = len(seen)

        # One row statement and one history statement, whatever N.
        assert counted == {"create": 2, "update": 2, "delete": 2}

        entries = await _history(world, world.alice.account_id)
        assert len(entries) == 3 * n
        by_action: dict[str, list[Any]] = {}
        for e in entries:
            by_action.setdefault(e.action, []).append(e)
        ids = {r.id for r in stored}
        for action, version in (("create", 1), ("update", 2), ("delete", 3)):
            assert {e.object_id for e in by_action[action]} == ids
            assert {e.version for e in by_action[action]} == {version}
        assert await _contacts(world, world.alice.account_id) == []

    async def test_update_many_bumps_each_version_once(self, world: World) -> None:
        actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
        partner_id = await _partner(world)
        async with world.runtime.db.transaction(write=True) as uow:
            await change.create_many(uow, actor, Kind.HOOD_CONTACT, _contact_rows(partner_id, 3))
        first, *rest = await _contacts(world, world.alice.account_id)
        async with world.runtime.db.transaction(write=True) as uow:
            await change.update(
                uow,
                actor,
                change.Target(Kind.HOOD_CONTACT, first.id, first.version),
                values={"value": "first@example.com"},
                changes={"value": {"old": first.value, "new": "first@example.com"}},
            )
        stored = await _contacts(world, world.alice.account_id)
        async with world.runtime.db.transaction(write=True) as uow:
            await change.update_many(
                uow,
                actor,
                [
                    (change.Target(Kind.HOOD_CONTACT, r.id, r.version), {"type": {"old": 1}})
                    for r in stored
                ],
                values={"type": "phone"},
            )
        after = {r.id: r.version for r in await _contacts(world, world.alice.account_id)}
        assert after == {first.id: 3, **{r.id: 2 for r in rest}}
        newest = {}
        for e in await _history(world, world.alice.account_id):
            newest[e.object_id] = e.version
        assert newest == after

    async def test_mixed_kinds_are_refused(self, world: World) -> None:
        actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
        mixed = [
            (change.Target(Kind.HOOD_CONTACT, "a", 1), {"x": {"old": 1, "new": 2}}),
            (change.Target(Kind.HOOD_PARTNER, 1, 1), {"x": {"old": 1, "new": 2}}),
        ]
        async with world.runtime.db.transaction(write=True) as uow:
            with pytest.raises(ValueError, match="one kind"):
                await change.update_many(uow, actor, mixed, values={})


class TestBeyondOneStatementsParameters:
    async def test_more_keys_than_a_statement_may_bind(self, world: World) -> None:
        """Both databases cap one statement's parameters near 32,767: 35,000 objects are
        updated and deleted all the same (in chunks of KEYS_PER_STATEMENT)."""
        actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
        partner_id = await _partner(world)
        async with world.runtime.db.transaction(write=True) as uow:
            await change.create_many(
                uow, actor, Kind.HOOD_CONTACT, _contact_rows(partner_id, 35_000)
            )
        stored = await _contacts(world, world.alice.account_id)
        targets = [change.Target(Kind.HOOD_CONTACT, r.id, r.version) for r in stored]
        async with world.runtime.db.transaction(write=True) as uow:
            await change.update_many(
                uow,
                actor,
                [(t, {"value": {"old": None, "new": "x@example.com"}}) for t in targets],
                values={"value": "x@example.com"},
            )
        updated = await _contacts(world, world.alice.account_id)
        assert {(r.value, r.version) for r in updated} == {("x@example.com", 2)}
        async with world.runtime.db.transaction(write=True) as uow:
            await change.delete_many(
                uow, actor, [(change.Target(Kind.HOOD_CONTACT, r.id, 2), {}) for r in updated]
            )
        assert await _contacts(world, world.alice.account_id) == []
