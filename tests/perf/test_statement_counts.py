"""The SQL statements one PATCH costs, per surface (issue 5; ARCHITECTURE "Performance design").

A PATCH should be one transaction of at most ~4 statements: lock-and-read the object, update it,
append its history row (BEGIN and COMMIT aside), with the token served from the verifier's cache
and the rate limit checked outside the database. The counts below are today's; a change that adds
a statement to a hot path fails here and has to raise the pin on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from harness import World

# Statements inside the PATCH's transaction, BEGIN/COMMIT/ROLLBACK not counted. On PostgreSQL
# the UPDATE and its history INSERT are one statement (a data-modifying CTE), so one fewer.
MAX_STATEMENTS = {
    # SELECT … FOR UPDATE of the partner, UPDATE, INSERT history.
    "hood": 3,
    # The caller's own Core partner (the account's root for an account token: every Core
    # access is scoped to the caller's subtree by its path), SELECT … FOR UPDATE of the target
    # within that subtree, UPDATE, INSERT history.
    "core": 4,
    # SELECT … FOR UPDATE of the object, the account's property definitions (values are typed
    # and validated against them), UPDATE, INSERT history.
    "crm": 4,
}
FUSED = {"sqlite": 0, "postgresql": 1}  # statements saved by writing UPDATE + history as one
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
JSON = {"Content-Type": "application/json"}


@contextmanager
def counting(world: World) -> Iterator[list[str]]:
    statements: list[str] = []
    with world.runtime.db.observe(lambda sql: statements.append(" ".join(sql.split()))):
        yield statements


def counted(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.upper().startswith(TRANSACTION_CONTROL)]


async def _hood(world: World) -> tuple[str, dict[str, Any]]:
    created = await world.client.post(
        "/v1/hood/partners",
        json={
            "manager_ids": [world.alice.member_ids[0]],
            "name": "Counted",
            "type": ["publisher"],
            "status": "active",
        },
        headers=world.alice.headers(),
    )
    assert created.status_code == 201, created.text
    return f"/v1/hood/partners/{created.json()['id']}", {"description": "changed"}


async def _core(world: World) -> tuple[str, dict[str, Any]]:
    created = await world.client.post(
        "/core/v2/partners",
        json={
            "login": "counted",
            "password": "sample_password",
            "name": "Counted",
            "company_name": "ABC",
            "country_code": "USA",
        },
        headers=world.alice.headers(**JSON),
    )
    assert created.status_code == 200, created.text
    return f"/core/v2/partners/{created.json()['partner_sid']}", {"name": "Changed"}


async def _crm(world: World) -> tuple[str, dict[str, Any]]:
    defined = await world.client.post(
        "/crm/v3/properties/partner_clients",
        json={"name": "property_string", "label": "String", "type": "string", "fieldType": "text"},
        headers=world.alice.headers(),
    )
    assert defined.status_code == 201, defined.text
    created = await world.client.post(
        "/crm/v3/objects/partner_clients",
        json={"properties": {"property_string": "counted"}},
        headers=world.alice.headers(),
    )
    assert created.status_code == 201, created.text
    path = f"/crm/v3/objects/partner_clients/{created.json()['id']}"
    return path, {"properties": {"property_string": "changed"}}


SURFACES = {"hood": _hood, "core": _core, "crm": _crm}


@pytest.mark.parametrize("surface", list(SURFACES))
async def test_one_patch_costs_a_pinned_number_of_statements(world: World, surface: str) -> None:
    path, body = await SURFACES[surface](world)
    # Warm up: the token is verified (and cached), the route and statement caches are filled.
    warm = await world.client.get(path, headers=world.alice.headers())
    assert warm.status_code == 200, warm.text

    with counting(world) as statements:
        response = await world.client.patch(path, json=body, headers=world.alice.headers(**JSON))
    assert response.status_code in (200, 204), response.text

    inside = counted(statements)
    # The counter sees the work itself (prepared statements included), not just some of it.
    text = " ".join(inside).upper()
    assert all(word in text for word in ("SELECT", "UPDATE", "INSERT INTO HISTORY")), inside
    pinned = MAX_STATEMENTS[surface] - FUSED[world.runtime.db.dialect]
    assert len(inside) <= pinned, (
        f"{surface} PATCH ran {len(inside)} statements (pinned: {pinned}):\n" + "\n".join(inside)
    )
