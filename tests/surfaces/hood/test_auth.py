"""Authentication, scopes and tenancy on every Hood partner route."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from harness import World
from partnerhub.domain.clock import utcnow
from partnerhub.services import accounts
from partnerhub.storage.tables import tokens
from surfaces.hood.kit import (
    HOOD,
    PARTNERS,
    READ_ONLY,
    UNKNOWN_PARTNER,
    assert_error,
    create_partner,
    get_partner,
    json_headers,
    partner_body,
    revoked_token,
    total,
)

CONTACT = {"type": "sip", "value": "abc"}


def routes(pid: str, cid: str) -> list[tuple[str, str, object]]:
    """(method, path, json body) of every partner route, reads first."""
    return [
        ("GET", f"{PARTNERS}", None),
        ("GET", f"{PARTNERS}/{pid}", None),
        ("GET", f"{PARTNERS}/{pid}/history", None),
        ("GET", f"{PARTNERS}/{pid}/contacts", None),
        ("GET", f"{PARTNERS}/{pid}/contacts/{cid}", None),
        ("GET", f"{PARTNERS}/{pid}/contacts/{cid}/history", None),
        ("POST", f"{PARTNERS}", "partner"),
        ("PATCH", f"{PARTNERS}/{pid}", {"name": "Changed"}),
        ("POST", f"{PARTNERS}/{pid}/archive", None),
        ("POST", f"{PARTNERS}/{pid}/unarchive", None),
        ("POST", f"{PARTNERS}/{pid}/contacts", CONTACT),
        ("PATCH", f"{PARTNERS}/{pid}/contacts/{cid}", {"value": "changed"}),
        ("DELETE", f"{PARTNERS}/{pid}/contacts/{cid}", None),
    ]


async def call(
    world: World, method: str, path: str, body: object, headers: dict[str, str]
) -> httpx.Response:
    if body == "partner":
        body = partner_body(world.alice)
    return await world.client.request(
        method, path, json=body if body is not None else None, headers=headers
    )


class TestAuthentication:
    async def test_missing_token_is_401(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for method, path, body in routes(created["id"], created["contacts"][0]["id"]):
            response = await call(world, method, path, body, {})
            assert_error(response, 401)
        assert await get_partner(world, world.alice, created["id"]) == created

    async def test_malformed_or_unknown_token_is_401(self, world: World) -> None:
        for header in (
            "Bearer",
            "Bearer nonsense",
            f"Basic {world.alice.token}",
            f"Bearer {world.alice.token}x",
            "Bearer ph_" + "A" * 43,
            f"bearer  {world.alice.token[:-1]}",
        ):
            response = await world.client.get(PARTNERS, headers={"Authorization": header})
            assert_error(response, 401)

    async def test_scheme_is_case_insensitive(self, world: World) -> None:
        response = await world.client.get(
            PARTNERS, headers={"Authorization": f"bearer {world.alice.token}"}
        )
        assert response.status_code == 200, response.text

    async def test_revoked_token_is_401(self, world: World) -> None:
        token = await revoked_token(world, world.alice)
        response = await world.client.get(PARTNERS, headers=world.alice.headers(token))
        assert_error(response, 401)

    async def test_expired_token_is_401(self, world: World) -> None:
        async with world.runtime.db.transaction(write=True) as uow:
            info, secret = await accounts.create_token(
                uow,
                account_id=world.alice.account_id,
                name="short",
                scopes=READ_ONLY,
                expires_at=utcnow() + timedelta(hours=1),
            )
        response = await world.client.get(PARTNERS, headers=world.alice.headers(secret))
        assert response.status_code == 200, response.text
        async with world.runtime.db.transaction(write=True) as uow:
            await uow.conn.execute(
                update(tokens)
                .where(tokens.c.id == info.id)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        response = await world.client.get(PARTNERS, headers=world.alice.headers(secret))
        assert_error(response, 401)


class TestScopes:
    async def test_read_only_token_reads_but_cannot_write(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        token = await world.token(world.alice, READ_ONLY)
        for method, path, body in routes(created["id"], created["contacts"][0]["id"]):
            response = await call(world, method, path, body, json_headers(world.alice, token))
            if method == "GET":
                assert response.status_code == 200, (path, response.text)
            else:
                assert_error(response, 403, "hood.partners.write")
        assert await get_partner(world, world.alice, created["id"]) == created
        assert await total(world, world.alice) == 1

    async def test_write_token_may_also_read(self, world: World) -> None:
        token = await world.token(world.alice, ["hood.partners.write"])
        response = await world.client.get(PARTNERS, headers=world.alice.headers(token))
        assert response.status_code == 200, response.text

    async def test_other_scopes_are_403_everywhere(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        token = await world.token(
            world.alice, ["hood.deals.write", "crm.objects.partner-clients.read"]
        )
        for method, path, body in routes(created["id"], created["contacts"][0]["id"]):
            response = await call(world, method, path, body, json_headers(world.alice, token))
            assert_error(response, 403)
        response = await world.client.get(f"{HOOD}/members", headers=world.alice.headers(token))
        assert_error(response, 403)


class TestTenancy:
    async def test_foreign_account_is_unknown_on_every_route(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        pid, cid = created["id"], created["contacts"][0]["id"]
        for method, path, body in routes(pid, cid):
            if path == PARTNERS:
                continue
            response = await call(world, method, path, body, json_headers(world.bob))
            assert_error(response, 400, UNKNOWN_PARTNER)
        assert await get_partner(world, world.alice, pid) == created
        response = await world.client.get(
            f"{PARTNERS}/{pid}/history", headers=world.alice.headers()
        )
        assert response.json()["total"] == 1

    async def test_unknown_and_foreign_answers_are_identical(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        foreign = await world.client.get(f"{PARTNERS}/{created['id']}", headers=world.bob.headers())
        unknown = await world.client.get(f"{PARTNERS}/999999999", headers=world.bob.headers())
        a, b = assert_error(foreign, 400), assert_error(unknown, 400)
        assert {**a, "trace_id": ""} == {**b, "trace_id": ""}
