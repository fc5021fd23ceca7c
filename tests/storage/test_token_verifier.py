"""Token verification: concurrent look-ups of one token share a single query."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from partnerhub.errors import Unauthenticated
from partnerhub.services.accounts import TokenVerifier, create_account
from partnerhub.storage.database import Database


@pytest.fixture
async def db(database_url: str) -> Any:
    database = Database.open(database_url, pool_size=4)
    yield database
    await database.dispose()


async def test_concurrent_misses_of_one_token_make_one_look_up(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        secret = (await create_account(uow, name="busy")).token
    verifier = TokenVerifier(db, cache_seconds=0)  # no cache: every call would look up
    statements: list[str] = []
    with db.observe(statements.append):
        actors = await asyncio.gather(*(verifier.verify(secret) for _ in range(20)))
    assert {a.account_id for a in actors} == {actors[0].account_id}
    assert len(statements) == 1, statements
    # Nothing stays pending: the next miss looks up again.
    with db.observe(statements.append):
        await verifier.verify(secret)
    assert len(statements) == 2


async def test_an_unknown_token_is_refused_to_every_waiter(db: Database) -> None:
    verifier = TokenVerifier(db, cache_seconds=0)
    unknown = "ph_" + "x" * 43
    results = await asyncio.gather(
        *(verifier.verify(unknown) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, Unauthenticated) for r in results)
    async with db.transaction(write=True) as uow:
        secret = (await create_account(uow, name="later")).token
    assert (await verifier.verify(secret)).account_id
