"""Reading and writing units of work."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from partnerhub.services.accounts import create_account
from partnerhub.storage.database import Database


@pytest.fixture
async def db(database_url: str) -> Any:
    database = Database.open(database_url, pool_size=2)
    yield database
    await database.dispose()


async def test_a_write_that_strays_into_a_reading_unit_of_work_fails_on_postgresql(
    pg_database: str,
) -> None:
    # PostgreSQL reads run without BEGIN/COMMIT on read-only sessions: a write there must fail
    # rather than commit statement by statement. (SQLite reads run in a deferred transaction.)
    db = Database.open(pg_database, pool_size=2)
    try:
        await _refused_then_unchanged(db)
    finally:
        await db.dispose()


async def _refused_then_unchanged(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        account = (await create_account(uow, name=f"reader-{uuid.uuid4().hex[:8]}")).account
    with pytest.raises(Exception, match="read-only"):
        async with db.transaction() as uow:
            await uow.accounts.set_limits(account.id, hood_tier="E", rate_limits=None)
    async with db.transaction() as uow:
        found = await uow.accounts.get(account.id)
    assert found is not None and found.hood_tier == "C"


async def test_a_writing_unit_of_work_commits_everything_or_nothing(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        account = (await create_account(uow, name="writer")).account
    with pytest.raises(RuntimeError):
        async with db.transaction(write=True) as uow:
            await uow.accounts.set_limits(account.id, hood_tier="E", rate_limits=None)
            raise RuntimeError("abort")
    async with db.transaction() as uow:
        found = await uow.accounts.get(account.id)
    assert found is not None and found.hood_tier == "C"


async def test_a_connection_left_inside_a_transaction_is_not_reused(pg_database: str) -> None:
    # asyncpg's transaction is invisible to SQLAlchemy's pool; one left open (a cancellation
    # mid-COMMIT, say) must not carry over into the next unit of work.
    db = Database.open(pg_database, pool_size=1)
    try:
        async with db.transaction() as uow:
            driver = uow.conn._driver  # type: ignore[attr-defined]
            await driver.execute("BEGIN")
        async with db.transaction() as uow:
            assert not uow.conn._driver.is_in_transaction()  # type: ignore[attr-defined]
            assert uow.conn._driver is not driver  # type: ignore[attr-defined]
    finally:
        await db.dispose()
