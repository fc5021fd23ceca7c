"""Prepared statements run on the driver return what SQLAlchemy returns, value for value.

They reuse SQLAlchemy's own type processing (JSON, timestamps, booleans), so a row read either
way must be equal; and what they write must read back the same through SQLAlchemy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, select

from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.objects import Kind
from partnerhub.services.accounts import create_account
from partnerhub.storage.database import Database
from partnerhub.storage.prepared import Prepared
from partnerhub.storage.tables import history, hood_partners

ONE = select(hood_partners).where(
    hood_partners.c.account_id == bindparam("account_id"),
    hood_partners.c.id == bindparam("partner_id"),
)
NESTED: dict[str, Any] = {"street": "Ulica 1", "zip": None, "tags": ["a", "ü"], "n": 1.5}

NOW = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> Any:
    database = Database.open(database_url, pool_size=2)
    yield database
    await database.dispose()


async def _partner(db: Database) -> tuple[int, int]:
    async with db.transaction(write=True) as uow:
        account = (await create_account(uow, name="prepared")).account
    now = datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC)
    async with db.transaction(write=True) as uow:
        (partner_id,) = await uow.changes.insert(
            Kind.HOOD_PARTNER,
            account.id,
            [
                {
                    "version": 1,
                    "name": "Prepared",
                    "description": None,
                    "type": ["publisher", "advertiser"],
                    "status": "active",
                    "manager_ids": [],
                    "payment_terms": None,
                    "billing_address": NESTED,
                    "archived": 1,
                    "system": 0,
                    "create_time": now,
                    "update_time": now,
                }
            ],
        )
    return account.id, int(partner_id)


async def test_a_prepared_read_equals_sqlalchemys(db: Database) -> None:
    account_id, partner_id = await _partner(db)
    params = {"account_id": account_id, "partner_id": partner_id}
    async with db.transaction() as uow:
        through_sqlalchemy = (await uow.conn.execute(ONE, params)).one()
        prepared = await uow.conn.fetch_one(Prepared(ONE), params)
    assert prepared is not None
    assert prepared._asdict() == through_sqlalchemy._asdict()
    assert prepared.billing_address == NESTED
    assert prepared.create_time.replace(tzinfo=UTC) == datetime(
        2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC
    )


def _entry(partner_id: int, changes: dict[str, Any], at: datetime) -> HistoryEntry:
    return HistoryEntry(
        object_type="prepared",
        object_id=str(partner_id),
        version=2,
        action="update",
        surface="hood",
        token_id=None,
        changed_at=at,
        changes=changes,
    )


async def test_a_prepared_write_reads_back_through_sqlalchemy(db: Database) -> None:
    # On PostgreSQL the row's UPDATE and its history row are one statement (a CTE).
    account_id, partner_id = await _partner(db)
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    changes = {"billing_address": {"from": None, "to": NESTED}}
    async with db.transaction(write=True) as uow:
        await uow.changes.update(
            Kind.HOOD_PARTNER,
            account_id,
            partner_id,
            {"billing_address": None},
            version=2,
            at=at,
            entry=_entry(partner_id, changes, at),
        )
    async with db.transaction() as uow:
        row = (
            await uow.conn.execute(select(history).where(history.c.object_type == "prepared"))
        ).one()
        partner = await uow.hood_partners.get(account_id, partner_id)
    assert row.changes == changes
    assert row.changed_at.replace(tzinfo=UTC) == at
    assert (row.account_id, row.object_id, row.version) == (account_id, str(partner_id), 2)
    assert partner is not None and partner.billing_address is None
    assert partner.version == 2 and partner.update_time == at


async def test_a_prepared_statement_rolls_back_with_its_transaction(db: Database) -> None:
    account_id, partner_id = await _partner(db)
    with pytest.raises(RuntimeError):
        async with db.transaction(write=True) as uow:
            await uow.changes.update(
                Kind.HOOD_PARTNER,
                account_id,
                partner_id,
                {"name": "Rolled back"},
                version=2,
                at=NOW,
                entry=_entry(partner_id, {"name": {"old": "Prepared", "new": "Rolled back"}}, NOW),
            )
            raise RuntimeError("abort")
    async with db.transaction() as uow:
        partner = await uow.hood_partners.get(account_id, partner_id)
        logged = (
            await uow.conn.execute(select(history).where(history.c.object_type == "prepared"))
        ).all()
    assert partner is not None and partner.name == "Prepared"
    assert logged == []


async def test_statements_fixed_in_the_sql_need_no_parameter(db: Database) -> None:
    account_id, partner_id = await _partner(db)
    archived = Prepared(
        select(hood_partners.c.id).where(
            hood_partners.c.account_id == bindparam("account_id"), hood_partners.c.archived == 1
        )
    )
    async with db.transaction() as uow:
        rows = await uow.conn.fetch(archived, {"account_id": account_id})
    assert [r.id for r in rows] == [partner_id]
