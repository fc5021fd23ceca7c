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


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def _settle(verifier: TokenVerifier) -> None:
    """Wait for the look-ups running behind answered requests."""
    await asyncio.gather(*verifier._pending.values())


async def test_a_busy_token_is_looked_up_again_before_its_entry_lapses(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        secret = (await create_account(uow, name="steady")).token
    clock = Clock()
    verifier = TokenVerifier(db, cache_seconds=10, clock=clock)
    statements: list[str] = []
    with db.observe(statements.append):
        await verifier.verify(secret)
        clock.now += 5  # fresh: the cache answers
        await verifier.verify(secret)
        assert len(statements) == 1
        clock.now += 3  # in the last quarter of its 10 s: answered, and looked up behind it
        await verifier.verify(secret)
        await _settle(verifier)
        assert len(statements) == 2
        clock.now += 4  # past the first entry's 10 s, within the refreshed one's
        await verifier.verify(secret)
        await _settle(verifier)
        assert len(statements) == 2


async def test_a_revoked_token_is_never_trusted_past_its_cache_time(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        created = await create_account(uow, name="revoked")
    clock = Clock()
    verifier = TokenVerifier(db, cache_seconds=10, clock=clock)
    actor = await verifier.verify(created.token)
    async with db.transaction(write=True) as uow:
        assert actor.token_id is not None
        await uow.tokens.revoke(created.account.id, actor.token_id)
    clock.now += 8  # still within the 10 s it was verified for: answered from the cache ...
    assert (await verifier.verify(created.token)).token_id == actor.token_id
    await _settle(verifier)  # ... and the look-up behind it found the revocation
    with pytest.raises(Unauthenticated):
        await verifier.verify(created.token)


async def test_an_idle_entry_that_lapsed_is_looked_up_before_it_answers(db: Database) -> None:
    async with db.transaction(write=True) as uow:
        created = await create_account(uow, name="idle")
    clock = Clock()
    verifier = TokenVerifier(db, cache_seconds=10, clock=clock)
    actor = await verifier.verify(created.token)
    async with db.transaction(write=True) as uow:
        assert actor.token_id is not None
        await uow.tokens.revoke(created.account.id, actor.token_id)
    clock.now += 10  # nobody used it in its last quarter: the lapsed entry is not trusted
    with pytest.raises(Unauthenticated):
        await verifier.verify(created.token)
