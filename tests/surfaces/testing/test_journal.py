"""The request journal: every request in arrival order with its surface, status and account,
filters, clearing, the bound of N entries, and never a secret."""

from __future__ import annotations

import base64

import orjson

from harness import World, suite_settings
from partnerhub.services import accounts
from testing.kit import TEST, hood_partner

JOURNAL = f"{TEST}/journal"


async def _journal(world: World, admin: dict[str, str], **params: object) -> list[dict]:
    answer = await world.client.get(JOURNAL, params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


class TestJournal:
    async def test_requests_in_arrival_order_with_their_details(
        self, world: World, admin: dict[str, str]
    ) -> None:
        await world.client.get("/v1/hood/partners", headers=world.alice.headers())
        assert (await world.client.delete(JOURNAL, headers=admin)).status_code == 204
        alice = world.alice.headers()
        created = await world.client.post(
            "/v1/hood/partners", json=hood_partner("Journaled", world.alice), headers=alice
        )
        await world.client.get("/core/v2/partners?limit=1", headers=alice)
        await world.client.get("/crm/v3/objects/partner_clients", headers=alice)
        await world.client.get("/healthz")
        await world.client.get("/crm/v3/objects/partner_clients/1", headers={"X-Request-Id": "r-1"})

        entries = await _journal(world, admin)

        seen = [(e["method"], e["path"], e["surface"], e["status"]) for e in entries]
        assert seen == [
            ("DELETE", JOURNAL, "test", 204),
            ("POST", "/v1/hood/partners", "hood", created.status_code),
            ("GET", "/core/v2/partners", "core", 200),
            ("GET", "/crm/v3/objects/partner_clients", "crm", 200),
            ("GET", "/healthz", "other", 200),
            ("GET", "/crm/v3/objects/partner_clients/1", "crm", 401),
        ]
        hood = entries[1]
        assert hood["account_id"] == world.alice.account_id
        assert hood["body"] == {"json": hood_partner("Journaled", world.alice)}
        assert hood["request_id"] == created.headers["x-request-id"]
        assert hood["duration_ms"] >= 0 and hood["at"]
        assert entries[2]["query"] == "limit=1"
        assert entries[5]["account_id"] is None and entries[5]["request_id"] == "r-1"
        assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)

    async def test_filters_and_limit(self, world: World, admin: dict[str, str]) -> None:
        await world.client.delete(JOURNAL, headers=admin)
        alice = world.alice.headers()
        for path in ("/v1/hood/partners", "/v1/hood/members", "/crm/v3/objects/partner_clients"):
            await world.client.get(path, headers=alice)
        await world.client.delete("/v1/hood/partners/1", headers=alice)

        def paths(entries: list[dict]) -> list[str]:
            return [e["path"] for e in entries]

        assert paths(await _journal(world, admin, surface="crm")) == [
            "/crm/v3/objects/partner_clients"
        ]
        assert paths(await _journal(world, admin, method="delete", surface="hood")) == [
            "/v1/hood/partners/1"
        ]
        assert paths(await _journal(world, admin, path_prefix="/v1/hood/p")) == [
            "/v1/hood/partners",
            "/v1/hood/partners/1",
        ]
        statuses = {e["status"] for e in await _journal(world, admin, status=200)}
        assert statuses == {200}
        newest = await _journal(world, admin, limit=2)
        assert [e["method"] for e in newest] == ["GET", "GET"]  # the newest two, oldest first
        assert newest[-1]["path"] == JOURNAL
        for bad in ({"surface": "x"}, {"method": "FETCH"}, {"limit": 0}, {"status": 99}):
            answer = await world.client.get(JOURNAL, params=bad, headers=admin)
            assert answer.status_code == 422, bad
            assert answer.json()["errors"][0]["field"] == next(iter(bad))


class TestSecrets:
    async def test_no_secret_reaches_the_journal(self, world: World, admin: dict[str, str]) -> None:
        async with world.runtime.db.transaction(write=True) as uow:
            created = await accounts.create_account(uow, name="secretive")
        login, password, token = created.core_login, created.core_password, created.token
        twilio_token = "f9c" + "7" * 29
        basic = base64.b64encode(f"{login}:{password}".encode()).decode()

        await world.client.post(
            "/core/v2/oauth/token",
            data={"grant_type": "password", "username": login, "password": password},
        )
        await world.client.get("/core/v2/partners", headers={"Authorization": f"Basic {basic}"})
        await world.client.post(
            "/v1/hood/integrations",
            json={
                "name": "SMS",
                "provider_id": "1000",
                "settings": {
                    "account_sid": "AC" + "f" * 32,
                    "auth_token": twilio_token,
                    "default_phone_number": "+14155550100",
                },
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        await world.client.get(
            "/crm/v3/objects/partner_clients", headers={"Authorization": f"Bearer {token}"}
        )
        await world.client.get(f"/crm/v3/objects/partner_clients?hapikey={token}")
        await world.client.post(
            "/core/v2/partners",
            json={"name": "Child", "login": "child-login", "password": "Child-pass-123"},
            headers={"Authorization": f"Bearer {token}"},
        )

        raw = (await world.client.get(JOURNAL, headers=admin)).content
        for secret in (password, token, twilio_token, basic, "Child-pass-123"):
            assert secret.encode() not in raw, secret
        entries = orjson.loads(raw)["results"]
        grant = next(e for e in entries if e["path"] == "/core/v2/oauth/token")
        assert "password=%5Bredacted%5D" in grant["body"]["form"]
        assert f"username={login}" in grant["body"]["form"]
        integration = next(e for e in entries if e["path"] == "/v1/hood/integrations")
        assert integration["body"]["json"]["settings"]["auth_token"] == "[redacted]"
        assert integration["body"]["json"]["settings"]["account_sid"] == "AC" + "f" * 32
        assert any(e["query"] == "hapikey=%5Bredacted%5D" for e in entries)

    async def test_a_body_that_does_not_parse_is_kept_only_by_its_size(
        self, world: World, admin: dict[str, str]
    ) -> None:
        broken = b'{"password": "unparsed-secret"'
        await world.client.post(
            "/v1/hood/partners",
            content=broken,
            headers=world.alice.headers(**{"Content-Type": "application/json"}),
        )
        raw = (await world.client.get(JOURNAL, headers=admin)).content
        assert b"unparsed-secret" not in raw
        entry = next(e for e in orjson.loads(raw)["results"] if e["path"] == "/v1/hood/partners")
        assert entry["body"] == {"unrecorded_bytes": len(broken)}


async def test_only_the_newest_n_are_kept(database_url: str) -> None:
    import httpx

    from harness import make_tenant
    from partnerhub.app import create_app
    from partnerhub.auth.scopes import ADMIN_SCOPE
    from partnerhub.services.runtime import Runtime

    settings = suite_settings(database_url, test_api=True, test_journal_size=3)
    runtime = Runtime.build(settings)
    tenant = await make_tenant(runtime.db, "small")
    async with runtime.db.transaction(write=True) as uow:
        _, secret = await accounts.create_token(
            uow, account_id=tenant.account_id, name="admin", scopes=[ADMIN_SCOPE]
        )
    transport = httpx.ASGITransport(app=create_app(settings, runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as client:
        for i in range(5):
            await client.get(f"/healthz?i={i}")
        answer = await client.get(JOURNAL, headers={"Authorization": f"Bearer {secret}"})
    await runtime.close()
    assert [e["query"] for e in answer.json()["results"]] == ["i=2", "i=3", "i=4"]
