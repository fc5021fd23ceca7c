"""Token look-up: the token and its account, as their own rows say."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from partnerhub.auth.tokens import hash_token
from partnerhub.services.accounts import create_account
from partnerhub.storage.database import Database
from partnerhub.storage.tables import accounts


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database.open(database_url, pool_size=2)
    yield database
    await database.dispose()


async def test_the_token_s_account_is_the_account_row(db: Database) -> None:
    founded = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    async with db.transaction(write=True) as uow:
        created = await create_account(uow, name="founded-long-ago")
        await uow.conn.execute(
            update(accounts).where(accounts.c.id == created.account.id).values(created_at=founded)
        )
    async with db.transaction() as uow:
        found = await uow.tokens.get_with_account(hash_token(created.token))
        account = await uow.accounts.get(created.account.id)
    assert found is not None
    token, token_account = found
    assert token_account.created_at == founded
    assert token.created_at != founded
    assert token_account == account
