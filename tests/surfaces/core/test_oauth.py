"""POST /core/v2/oauth/token: password grant with a partner's login and password."""

from __future__ import annotations

from datetime import datetime

from harness import World
from partnerhub.services import accounts
from surfaces.core.kit import CORE_TIME, PARTNERS, TOKEN, assert_error, bearer, create, login

FORM = "application/x-www-form-urlencoded"
TOKEN_KEYS = [
    "access_token", "client_id", "date_created", "date_expiration_access_token",
    "date_expiration_refresh_token", "date_last_accessed", "ip_last_accessed", "name",
    "partner_sid", "refresh_token", "scopes", "token_sid", "token_type",
]  # fmt: skip


class TestOAuthToken:
    async def test_login_returns_a_token_that_works(self, world: World) -> None:
        child = await create(world, world.alice, login="oauth-user")
        response = await world.client.post(
            TOKEN,
            data={
                "grant_type": "password",
                "username": "oauth-user",
                "password": "sample_password",
            },
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == TOKEN_KEYS
        assert body["token_type"] == "bearer" and body["access_token"].startswith("ph_")
        assert body["partner_sid"] == child["partner_sid"]
        assert CORE_TIME.fullmatch(body["date_expiration_access_token"])
        assert "sample_password" not in response.text
        listed = await world.client.get(PARTNERS, headers=bearer(body["access_token"]))
        assert listed.status_code == 200
        assert [p["partner_sid"] for p in listed.json()["items"]] == [child["partner_sid"]]
        assert "sample_password" not in listed.text and "password" not in listed.text

    async def test_account_root_partner_can_log_in(self, world: World) -> None:
        async with world.runtime.db.transaction(write=True) as uow:
            created = await accounts.create_account(uow, name="carol corp")
        token = await login(world, created.core_login, created.core_password)
        listed = await world.client.get(PARTNERS, headers=bearer(token))
        assert listed.json()["total"] == 1
        assert listed.json()["items"][0]["login"] == created.core_login

    async def test_wrong_password_and_unknown_login_are_401(self, world: World) -> None:
        await create(world, world.alice, login="oauth-user2")
        for username, password in (("oauth-user2", "wrong-password"), ("nobody", "x" * 10)):
            response = await world.client.post(
                TOKEN, data={"grant_type": "password", "username": username, "password": password}
            )
            assert_error(response, 401, message="Bad credentials")
            assert password not in response.text

    async def test_scope_subset_and_bad_requests(self, world: World) -> None:
        await create(world, world.alice, login="oauth-user3")
        base = {"grant_type": "password", "username": "oauth-user3", "password": "sample_password"}
        narrowed = await world.client.post(TOKEN, data={**base, "scope": "partners.read"})
        assert narrowed.json()["scopes"] == ["partners.read"]
        denied = await world.client.post(
            PARTNERS, json={}, headers=bearer(narrowed.json()["access_token"])
        )
        assert_error(denied, 403)
        assert_error(
            await world.client.post(TOKEN, data={**base, "grant_type": "client_credentials"}),
            422,
            "grant_type",
        )
        assert_error(await world.client.post(TOKEN, json=base), 415)
        assert_error(await world.client.post(TOKEN, data={**base, "scope": "crm.x"}), 422, "scope")

    async def test_malformed_requests_name_the_field(self, world: World) -> None:
        base = {"grant_type": "password", "username": "nobody", "password": "sample_password"}
        for data, field in (
            ({**base, "username": ""}, "username"),
            ({"grant_type": "password", "password": "x"}, "username"),
            ({**base, "password": ""}, "password"),
            ({k: v for k, v in base.items() if k != "grant_type"}, "grant_type"),
            ({**base, "access_token_expires_in": "0"}, "access_token_expires_in"),
            ({**base, "access_token_expires_in": "soon"}, "access_token_expires_in"),
        ):
            items = assert_error(
                await world.client.post(TOKEN, data=data),
                422,
                field,
                message="object validation error",
            )
            assert len(items) == 1
        undecodable = await world.client.post(
            TOKEN, content=b"grant_type=\xff", headers={"Content-Type": FORM}
        )
        assert assert_error(undecodable, 422, None)[0]["message"] == (
            "The form body could not be decoded."
        )

    async def test_login_alias_name_and_lifetime(self, world: World) -> None:
        await create(world, world.alice, login="oauth-user4")
        response = await world.client.post(
            TOKEN,
            data={
                "grant_type": "password",
                "login": "oauth-user4",
                "password": "sample_password",
                "name": "my app",
                "access_token_expires_in": "60",
            },
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["name"] == "my app"
        created = datetime.fromisoformat(body["date_created"])
        expires = datetime.fromisoformat(body["date_expiration_access_token"])
        assert 59 <= (expires - created).total_seconds() <= 61


class TestFormBodyNul:
    """PostgreSQL text holds no NUL: a NUL anywhere in the token form is 422 naming the field,
    before any password check (the token's `name` would otherwise reach an INSERT)."""

    async def test_nul_in_any_form_field_is_422(self, world: World) -> None:
        await create(world, world.alice, login="nul-form")
        for field, value in (
            ("name", "a\x00b"),
            ("scope", "partners.read\x00"),
            ("password", "x\x00"),
        ):
            form = {"grant_type": "password", "username": "nul-form", "password": "sample_password"}
            form[field] = value
            response = await world.client.post(TOKEN, data=form)
            assert_error(response, 422, field)
