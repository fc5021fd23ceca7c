"""A database that cannot be reached is `Unavailable` (a 503 at the edge), never a crash."""

from __future__ import annotations

import pytest

from partnerhub.errors import Unavailable
from partnerhub.storage.database import Database


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:1/test",
        "postgresql://postgres@127.0.0.1:5432/partnerhub_no_such_database",
    ],
)
async def test_unreachable_database_is_unavailable(url: str) -> None:
    db = Database.open(url, pool_size=1)
    try:
        with pytest.raises(Unavailable):
            async with db.transaction() as uow:
                await uow.accounts.count()
        assert await db.ping() is False
    finally:
        await db.dispose()
