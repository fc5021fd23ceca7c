"""Helpers of the test-control API tests: every data table's raw rows, a populated account."""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

from harness import Tenant, World
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.domain.accounts import Actor
from partnerhub.domain.crm_properties import PropertyDef
from partnerhub.services import crm_objects, crm_properties, demo
from partnerhub.storage.table_data import DATA_TABLES

TEST = "/_partnerhub/test"
Tables = dict[str, list[tuple[Any, ...]]]


async def raw_tables(database_url: str, account_id: int | None = None) -> Tables:
    """Every data table's rows as the database driver returns them, ordered by every column
    (of one account only, when given): nothing of the server's own decoding in between."""
    found: Tables = {}
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            for table in DATA_TABLES:
                sql, params = _select(table.name, account_id, "?")
                found[table.name] = [tuple(r) for r in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()
        return found
    pg = await asyncpg.connect(database_url.replace("postgresql://", "postgres://"))
    try:
        for table in DATA_TABLES:
            sql, params = _select(table.name, account_id, "$1")
            found[table.name] = [tuple(r) for r in await pg.fetch(sql, *params)]
    finally:
        await pg.close()
    return found


def _select(table: str, account_id: int | None, mark: str) -> tuple[str, list[Any]]:
    columns = [c.name for c in next(t for t in DATA_TABLES if t.name == table).columns]
    order = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT * FROM "{table}"'
    params: list[Any] = []
    if account_id is not None:
        owner = "id" if table == "accounts" else "account_id"
        sql += f' WHERE "{owner}" = {mark}'
        params.append(account_id)
    return f"{sql} ORDER BY {order}", params


async def populate(world: World, tenant: Tenant) -> None:
    """Rows in every data table for `tenant`: the demo data set, a unique CRM property with a
    value, and a create under an Idempotency-Key."""
    actor = Actor(account_id=tenant.account_id, token_id=None, scopes=frozenset(ALL_SCOPES))
    async with world.runtime.db.transaction(write=True) as uow:
        await demo.load(uow, actor, secrets=world.runtime.secrets)
        await crm_properties.create(
            uow,
            actor,
            draft=PropertyDef(
                "external_id", "External id", "string", "text", has_unique_value=True
            ),
        )
        await crm_objects.create(uow, actor, values={"external_id": f"ext-{tenant.account_id}"})
    answer = await world.client.post(
        "/v1/hood/partners",
        json=hood_partner("Idempotent partner", tenant),
        headers=tenant.headers(**{"Idempotency-Key": f"key-{tenant.account_id}"}),
    )
    assert answer.status_code in (200, 201), answer.text


def hood_partner(name: str, tenant: Tenant) -> dict[str, Any]:
    return {
        "name": name,
        "type": ["publisher"],
        "status": "active",
        "manager_ids": tenant.member_ids[:1],
    }
