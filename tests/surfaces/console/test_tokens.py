"""The console's tokens area: list, create (shown once), revoke; scopes and tenancy."""

from __future__ import annotations

import re

from harness import World
from partnerhub.services import accounts
from surfaces.console.kit import Console, SignIn, text_of


def _minted(page: str) -> str:
    found = re.search(r'id="minted-token">([^<]+)<', page)
    assert found, "no token shown"
    return found.group(1)


class TestTokens:
    async def test_create_shows_the_secret_once_and_it_works(
        self, world: World, console: Console
    ) -> None:
        await console.get("/console/tokens")
        response = await console.post(
            "/console/tokens", {"name": "ci job", "scopes": ["hood.partners.read"]}
        )
        assert response.status_code == 201
        secret = _minted(response.text)
        api = await world.client.get(
            "/v1/hood/partners", headers={"Authorization": f"Bearer {secret}"}
        )
        assert api.status_code == 200
        listed = await console.get("/console/tokens")
        assert secret not in listed.text
        assert "ci job" in text_of(listed.text)

    async def test_create_with_expiry(self, console: Console) -> None:
        await console.get("/console/tokens")
        response = await console.post(
            "/console/tokens",
            {"name": "short", "scopes": ["hood.partners.read"], "expires_at": "2999-01-31"},
        )
        assert response.status_code == 201
        assert "2999-01-31 23:59:59 UTC" in text_of(response.text)

    async def test_bad_fields_are_named_next_to_them(self, console: Console) -> None:
        await console.get("/console/tokens")
        cases = [
            ({"name": "x" * 201, "scopes": ["hood.partners.read"]}, "name must be at most 200"),
            ({"name": "x"}, "A token needs at least one scope."),
            ({"name": "x", "scopes": ["nope.scope"]}, "Unknown scope(s): nope.scope."),
            (
                {"name": "x", "scopes": ["hood.partners.read"], "expires_at": "31/01/2999"},
                "expires_at must be a date written YYYY-MM-DD.",
            ),
            (
                {"name": "x", "scopes": ["hood.partners.read"], "expires_at": "2001-01-01"},
                "expires_at must be in the future.",
            ),
        ]
        for data, message in cases:
            response = await console.post("/console/tokens", data)
            assert response.status_code == 422, data
            assert message in text_of(response.text), data

    async def test_no_scope_beyond_the_signed_in_token(
        self, world: World, console_as: SignIn
    ) -> None:
        token = await world.token(world.alice, ["oauth.manage", "hood.partners.read"])
        console = await console_as(token)
        page = await console.get("/console/tokens")
        assert 'value="hood.partners.write"' not in page.text
        response = await console.post(
            "/console/tokens", {"name": "x", "scopes": ["hood.partners.write"]}
        )
        assert response.status_code == 422
        assert "cannot grant a scope it lacks: hood.partners.write" in text_of(response.text)

    async def test_without_oauth_manage_the_area_is_403(
        self, world: World, console_as: SignIn
    ) -> None:
        token = await world.token(world.alice, ["hood.partners.read"])
        console = await console_as(token)
        assert (await console.get("/console/tokens")).status_code == 403
        response = await console.post(
            "/console/tokens", {"name": "x", "scopes": ["hood.partners.read"]}
        )
        assert response.status_code == 403

    async def test_revoke_stops_the_token(self, world: World, console: Console) -> None:
        secret = await world.token(world.alice, ["hood.partners.read"])
        page = await console.get("/console/tokens")
        token_id = max(int(i) for i in re.findall(r'id="token-(\d+)"', page.text))
        response = await console.post(f"/console/tokens/{token_id}/revoke")
        assert response.status_code == 303
        assert response.headers["location"] == "/console/tokens?done=revoked"
        api = await world.client.get(
            "/v1/hood/partners", headers={"Authorization": f"Bearer {secret}"}
        )
        assert api.status_code == 401

    async def test_another_accounts_token_is_unknown(self, world: World, console: Console) -> None:
        bobs_secret = await world.token(world.bob, ["hood.partners.read"])
        async with world.runtime.db.transaction() as uow:
            bobs = [t.id for t in await accounts.list_tokens(uow, account_id=world.bob.account_id)]
        page = await console.get("/console/tokens")
        assert len(bobs) == 2
        assert not any(f'id="token-{token_id}"' in page.text for token_id in bobs)
        for token_id in (*map(str, bobs), "999999", "²", "1" * 30):
            response = await console.post(f"/console/tokens/{token_id}/revoke")
            assert response.status_code == 404, token_id
        for secret in (world.bob.token, bobs_secret):
            bob_api = await world.client.get("/v1/hood/partners", headers=world.bob.headers(secret))
            assert bob_api.status_code == 200

    async def test_revoke_without_csrf_is_refused(self, world: World, console: Console) -> None:
        await world.token(world.alice, ["hood.partners.read"])
        page = await console.get("/console/tokens")
        token_id = max(int(i) for i in re.findall(r'id="token-(\d+)"', page.text))
        response = await console.post(f"/console/tokens/{token_id}/revoke", csrf=False)
        assert response.status_code == 403
        assert "revoked" not in text_of((await console.get("/console/tokens")).text)
