"""A Core scope (a page's LIKE, a count's range of paths) is the scope's partner and its
descendants, never a sibling whose path starts with the same digits ('/1/2/' not '/1/20/')."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from partnerhub.services.accounts import create_account
from partnerhub.storage.database import Database
from partnerhub.storage.repos.core_partners import _in_scope, _scope_range
from partnerhub.storage.tables import core_partners

PATHS = ["/9/", "/9/2/", "/9/2/5/", "/9/20/", "/9/20/2/", "/9/3/", "/9/2", "/90/", "/8/"]
EXPECTED = {
    "/9/2/": {"/9/2/", "/9/2/5/"},
    "/9/20/": {"/9/20/", "/9/20/2/"},
    "/9/": {p for p in PATHS if p.startswith("/9/")},
}


def _row(account_id: int, path: str) -> dict[str, Any]:
    name = uuid.uuid4().hex
    at = datetime(2026, 12, 2, tzinfo=UTC)
    return {
        "account_id": account_id,
        "partner_sid": name,
        "display_id": name[:10],
        "path": path,
        "version": 1,
        "login": name,
        "password_hash": "x",
        "name": path,
        "payment_type": "prepay",
        "balance": "0",
        "daily_spent_amount": "0",
        "status": "active",
        "available_scopes": [],
        "attributes": {},
        "callbacks": {},
        "acls": [],
        "parent_assigned_acls": [],
        "transformations": [],
        "date_created": at,
        "date_updated": at,
    }


async def test_a_scope_takes_its_subtree_and_no_sibling(database_url: str) -> None:
    db = Database.open(database_url, pool_size=2)
    try:
        async with db.transaction(write=True) as uow:
            account_id = (await create_account(uow, name="scope-range")).account.id
            await uow.conn.execute(core_partners.insert(), [_row(account_id, p) for p in PATHS])
        async with db.transaction() as uow:
            for scope, expected in EXPECTED.items():
                for where in (
                    _in_scope(account_id, scope),
                    _scope_range(account_id, scope, db.dialect),
                ):
                    mine = core_partners.c.path.in_(PATHS)
                    stmt = select(core_partners.c.path).where(*where, mine)
                    found = {r.path for r in await uow.conn.execute(stmt)}
                    assert found == expected, scope
                    count = select(func.count()).select_from(core_partners).where(*where, mine)
                    assert (await uow.conn.execute(count)).scalar_one() == len(expected)
    finally:
        await db.dispose()
