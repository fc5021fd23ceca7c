"""Reading and writing units of work, and what runs after one commits."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text
from structlog.testing import capture_logs

from partnerhub.services.accounts import create_account
from partnerhub.storage.database import Database
from partnerhub.storage.unit_of_work import UnitOfWork


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


async def _doom_the_commit(uow: UnitOfWork) -> None:
    # A deferred foreign key is checked at COMMIT, which then fails (on both backends).
    for sql in (
        "CREATE TEMP TABLE doomed_parent (id INTEGER PRIMARY KEY)",
        "CREATE TEMP TABLE doomed_child (parent_id INTEGER REFERENCES doomed_parent (id)"
        " DEFERRABLE INITIALLY DEFERRED)",
        "INSERT INTO doomed_child VALUES (1)",
    ):
        await uow.conn.execute(text(sql))


COMMIT_FAILED = r"(?i)foreign key"


async def test_a_connection_whose_commit_failed_is_not_reused_mid_transaction(
    db: Database,
) -> None:
    # SQLite keeps the transaction open when COMMIT fails; the next unit of work on that
    # connection would fail to BEGIN ("cannot start a transaction within a transaction").
    with pytest.raises(Exception, match=COMMIT_FAILED):
        async with db.transaction(write=True) as uow:
            await _doom_the_commit(uow)
    async with db.transaction(write=True) as uow:
        account = (await create_account(uow, name="after-a-failed-commit")).account
    async with db.transaction() as uow:
        assert await uow.accounts.get(account.id) is not None


def _in_transaction(uow: UnitOfWork) -> bool:
    driver = uow.conn._driver  # type: ignore[attr-defined]
    return bool(driver.in_transaction if uow.dialect == "sqlite" else driver.is_in_transaction())


async def test_after_commit_callbacks_run_in_order_once_committed(db: Database) -> None:
    calls: list[tuple[str, bool]] = []
    async with db.transaction(write=True) as uow:
        account = (await create_account(uow, name="hooked")).account
        uow.after_commit(lambda: calls.append(("first", _in_transaction(uow))))
        uow.after_commit(lambda: calls.append(("second", _in_transaction(uow))))
        assert calls == []
    assert calls == [("first", False), ("second", False)]
    async with db.transaction() as uow:
        assert await uow.accounts.get(account.id) is not None


async def test_after_commit_callbacks_do_not_run_on_rollback(db: Database) -> None:
    calls: list[str] = []
    with pytest.raises(RuntimeError):
        async with db.transaction(write=True) as uow:
            await create_account(uow, name="rolled-back")
            uow.after_commit(lambda: calls.append("ran"))
            raise RuntimeError("abort")
    assert calls == []


async def test_after_commit_callbacks_do_not_run_when_the_commit_fails(db: Database) -> None:
    calls: list[str] = []
    with pytest.raises(Exception, match=COMMIT_FAILED):
        async with db.transaction(write=True) as uow:
            await _doom_the_commit(uow)
            uow.after_commit(lambda: calls.append("ran"))
    assert calls == []


async def test_a_failing_after_commit_callback_is_logged_and_the_others_run(db: Database) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise ValueError("boom")

    with capture_logs() as logs:
        async with db.transaction(write=True) as uow:
            account = (await create_account(uow, name="half-hooked")).account
            uow.after_commit(broken)
            uow.after_commit(lambda: calls.append("after"))
    assert calls == ["after"]
    assert [(e["event"], e["log_level"]) for e in logs] == [("after_commit_failed", "error")]
    async with db.transaction() as uow:
        assert await uow.accounts.get(account.id) is not None


async def test_after_commit_takes_only_synchronous_callables(db: Database) -> None:
    async def wake() -> None:
        pass

    async with db.transaction(write=True) as uow:
        with pytest.raises(TypeError):
            uow.after_commit(wake)  # type: ignore[arg-type]
