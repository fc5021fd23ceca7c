"""Core HTTP Basic authentication (`curl -u login:password`), CarrierX's other way in: the
request acts as the partner, as a bearer token bound to it would; the password is verified once
per cache period, not once per request."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest

from harness import World, suite_settings
from partnerhub.auth import passwords
from partnerhub.config import Settings
from partnerhub.services import accounts
from partnerhub.storage.tables import core_partners
from surfaces.core.kit import (
    PARTNER_KEYS,
    PARTNERS,
    TOKEN,
    assert_error,
    bearer,
    create,
    login,
    partner_body,
)

PASSWORD = "sample_password"
JSON = {"Content-Type": "application/json"}
CHALLENGE = 'Basic realm="partnerhub"'


def basic(user: str, password: str = PASSWORD) -> httpx.BasicAuth:
    return httpx.BasicAuth(user, password)


def raw_basic(value: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(value).decode()}


async def _child(world: World, login_name: str, **overrides: Any) -> dict[str, Any]:
    return await create(world, world.alice, login=login_name, **overrides)


def _verifications(world: World) -> int:
    return world.runtime.password_checks.verifications


async def _authentication(world: World, sid: str, body: Any, **kw: Any) -> httpx.Response:
    return await world.client.patch(
        f"{PARTNERS}/{sid}/authentication", json=body, headers=kw.pop("headers", JSON), **kw
    )


class TestActsAsThePartner:
    async def test_seed_003_patch_with_login_and_password(self, world: World) -> None:
        child = await _child(world, "basic-seed")
        response = await world.client.patch(
            f"{PARTNERS}/{child['partner_sid']}",
            json={"address1": "4300 E Pacific Coast Hwy"},
            headers=JSON,
            auth=basic("basic-seed"),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert list(body) == PARTNER_KEYS
        assert body["address1"] == "4300 E Pacific Coast Hwy"
        assert body["partner_sid"] == child["partner_sid"]
        assert PASSWORD not in response.text

    async def test_list_get_create_put_delete_and_history(self, world: World) -> None:
        me = await _child(world, "basic-crud")
        sid = me["partner_sid"]
        auth = basic("basic-crud")
        listed = await world.client.get(PARTNERS, auth=auth)
        assert listed.status_code == 200, listed.text
        assert [p["partner_sid"] for p in listed.json()["items"]] == [sid]  # its subtree only
        got = await world.client.get(f"{PARTNERS}/{sid}", auth=auth)
        assert got.status_code == 200 and got.json()["login"] == "basic-crud"
        made = await world.client.post(
            PARTNERS, json=partner_body(login="basic-crud-kid"), headers=JSON, auth=auth
        )
        assert made.status_code == 200, made.text
        kid = made.json()
        assert kid["parent_sid"] == sid
        put = {k: v for k, v in kid.items() if k in ("name",)}
        full = {**{k: kid[k] for k in kid if k in _UPDATABLE}, **put, "city": "Long Beach"}
        replaced = await world.client.put(
            f"{PARTNERS}/{kid['partner_sid']}", json=full, headers=JSON, auth=auth
        )
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["city"] == "Long Beach"
        history = await world.client.get(f"{PARTNERS}/{kid['partner_sid']}/history", auth=auth)
        newest = history.json()["items"][0]
        assert newest["source"] == f"basic:{sid}"
        assert newest["surface"] == "core" and newest["token_id"] is None
        deleted = await world.client.delete(f"{PARTNERS}/{kid['partner_sid']}", auth=auth)
        assert deleted.status_code == 204, deleted.text
        gone = await world.client.get(f"{PARTNERS}/{kid['partner_sid']}", auth=auth)
        assert_error(gone, 404)

    async def test_sees_neither_ancestors_nor_siblings(self, world: World) -> None:
        parent = await _child(world, "basic-parent")
        sibling = await _child(world, "basic-sibling")
        response = await world.client.get(
            f"{PARTNERS}/{sibling['partner_sid']}", auth=basic("basic-parent")
        )
        assert_error(response, 404)
        root_sid = parent["parent_sid"]
        assert_error(
            await world.client.get(f"{PARTNERS}/{root_sid}", auth=basic("basic-parent")), 404
        )

    async def test_scopes_are_the_partners_available_scopes(self, world: World) -> None:
        await _child(world, "basic-scopes")
        # The Core surface only: a Core partner has no Hood or CRM scope, and Basic is Core's.
        hood = await world.client.get("/v1/hood/partners", auth=basic("basic-scopes"))
        assert hood.status_code == 401
        assert "Core API (/core/v2) only" in hood.text

    async def test_rate_limits_are_the_accounts(self, world: World) -> None:
        await _child(world, "basic-limits")
        response = await world.client.get(PARTNERS, auth=basic("basic-limits"))
        assert response.status_code == 200
        assert "X-RateLimit-Remaining" in response.headers


_UPDATABLE = (
    "acls", "address1", "address2", "attributes", "billing_email", "callbacks", "city",
    "company_name", "name", "owner_email", "parent_assigned_acls", "phonenumber", "tech_email",
    "transformations", "zip",
)  # fmt: skip


class TestRefused:
    async def test_wrong_password_and_unknown_login_answer_alike(self, world: World) -> None:
        await _child(world, "basic-wrong")
        before = _verifications(world)
        wrong = await world.client.get(PARTNERS, auth=basic("basic-wrong", "not-the-password"))
        unknown = await world.client.get(PARTNERS, auth=basic("basic-nobody", "not-the-password"))
        assert _verifications(world) - before == 2  # one verification each: the same cost
        for response in (wrong, unknown):
            assert_error(response, 401)
            assert response.headers["WWW-Authenticate"] == CHALLENGE
        assert wrong.json() == unknown.json()

    @pytest.mark.parametrize("login_name", ["nul\x00byte", "x" * 129, "spaces in it", "²"])
    async def test_a_login_no_partner_can_have_costs_the_same(
        self, world: World, login_name: str
    ) -> None:
        before = _verifications(world)
        basic_answer = await world.client.get(
            PARTNERS, headers=raw_basic(f"{login_name}:pw".encode())
        )
        assert_error(basic_answer, 401)
        token = await world.client.post(
            TOKEN, data={"grant_type": "password", "username": login_name, "password": "pw"}
        )
        if "\x00" in login_name:  # a form field no text column can hold: 422 before any check
            assert_error(token, 422, "username")
            assert _verifications(world) - before == 1
        else:
            assert_error(token, 401)
            assert _verifications(world) - before == 2

    async def test_a_root_without_a_usable_password_costs_the_same(self, world: World) -> None:
        async with world.runtime.db.transaction(write=True) as uow:
            root = await uow.core_partners.get_root(world.alice.account_id)
            assert root is not None
            unusable = core_partners.update().where(core_partners.c.id == root.id)
            await uow.conn.execute(unusable.values(password_hash=passwords.UNUSABLE))
        before = _verifications(world)
        response = await world.client.get(PARTNERS, auth=basic(root.login, "anything-at-all"))
        assert_error(response, 401)
        assert _verifications(world) - before == 1

    @pytest.mark.parametrize(
        "header",
        [
            "Basic",
            "Basic !!!not-base64!!!",
            "Basic " + base64.b64encode(b"no-colon-here").decode(),
            "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
            "Basic " + base64.b64encode(b":password-without-login").decode(),
        ],
    )
    async def test_a_malformed_header_is_401_in_the_core_envelope(
        self, world: World, header: str
    ) -> None:
        response = await world.client.get(PARTNERS, headers={"Authorization": header})
        items = assert_error(response, 401)
        assert response.headers["WWW-Authenticate"] == CHALLENGE
        assert "HTTP Basic" in items[0]["message"]

    async def test_no_credentials_names_both_forms(self, world: World) -> None:
        response = await world.client.get(PARTNERS)
        items = assert_error(response, 401)
        assert response.headers["WWW-Authenticate"] == CHALLENGE
        assert "Bearer" in items[0]["message"] and "HTTP Basic" in items[0]["message"]

    @pytest.mark.parametrize(
        "path",
        [
            "/v1/hood/partners",
            "/crm/v3/objects/partner_clients",
            "/crm/v3/properties/partner_clients",
        ],
    )
    async def test_hood_and_crm_take_bearer_tokens_only(self, world: World, path: str) -> None:
        await _child(world, "basic-other-surfaces")
        response = await world.client.get(path, auth=basic("basic-other-surfaces"))
        assert response.status_code == 401, response.text
        if path.startswith("/crm"):  # HubSpot's own words for it
            assert "This API supports OAuth 2.0 authentication" in response.text
        else:
            assert "bearer token" in response.text and "/core/v2" in response.text

    async def test_an_expensive_check_is_not_made_for_a_malformed_header(
        self, world: World
    ) -> None:
        before = _verifications(world)
        for value in (b"no-colon", b"\xff:\xff"):
            await world.client.get(PARTNERS, headers=raw_basic(value))
        assert _verifications(world) == before


class TestAllowBasicAuthentication:
    async def test_default_true_and_shown_by_its_resource(self, world: World) -> None:
        child = await _child(world, "basic-flag")
        response = await world.client.get(
            f"{PARTNERS}/{child['partner_sid']}/authentication", headers=world.alice.headers()
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "allow_basic_authentication": True,
            "login": "basic-flag",
            "partner_sid": child["partner_sid"],
        }

    async def test_false_refuses_basic_but_not_the_partners_tokens(self, world: World) -> None:
        child = await _child(world, "basic-off")
        token = await login(world, "basic-off")
        assert (await world.client.get(PARTNERS, auth=basic("basic-off"))).status_code == 200
        turned = await _authentication(
            world,
            child["partner_sid"],
            {"allow_basic_authentication": False},
            headers={**JSON, **world.alice.headers()},
        )
        assert turned.status_code == 200, turned.text
        assert turned.json()["allow_basic_authentication"] is False
        # At once on this worker, although the credentials were cached a moment ago.
        refused = await world.client.get(PARTNERS, auth=basic("basic-off"))
        items = assert_error(refused, 401)
        assert "allow_basic_authentication" in items[0]["message"]
        assert (await world.client.get(PARTNERS, headers=bearer(token))).status_code == 200
        # The OAuth password grant still works: Basic is what is off, not the password.
        assert await login(world, "basic-off")
        history = await world.client.get(
            f"{PARTNERS}/{child['partner_sid']}/history", headers=world.alice.headers()
        )
        assert history.json()["items"][0]["changes"] == {
            "allow_basic_authentication": {"new": False, "old": True}
        }

    async def test_the_partner_itself_may_turn_it_off_and_back_on(self, world: World) -> None:
        child = await _child(world, "basic-self")
        token = await login(world, "basic-self")
        off = await _authentication(
            world,
            child["partner_sid"],
            {"allow_basic_authentication": False},
            headers=bearer(token),
        )
        assert off.status_code == 200, off.text
        on = await _authentication(
            world, child["partner_sid"], {"allow_basic_authentication": True}, headers=bearer(token)
        )
        assert on.json()["allow_basic_authentication"] is True
        assert (await world.client.get(PARTNERS, auth=basic("basic-self"))).status_code == 200

    async def test_a_descendant_may_not_change_its_ancestor(self, world: World) -> None:
        parent = await _child(world, "basic-anc")
        parent_token = await login(world, "basic-anc")
        kid = await world.client.post(
            PARTNERS, json=partner_body(login="basic-anc-kid"), headers=bearer(parent_token)
        )
        assert kid.status_code == 200, kid.text
        kid_token = await login(world, "basic-anc-kid")
        response = await _authentication(
            world,
            parent["partner_sid"],
            {"allow_basic_authentication": False},
            headers=bearer(kid_token),
        )
        assert_error(response, 404)
        by_basic = await _authentication(
            world,
            parent["partner_sid"],
            {"password": "a-new-password"},
            auth=basic("basic-anc-kid"),
        )
        assert_error(by_basic, 404)
        # ... while the ancestor may change its descendant's.
        allowed = await _authentication(
            world,
            kid.json()["partner_sid"],
            {"allow_basic_authentication": False},
            headers=bearer(parent_token),
        )
        assert allowed.status_code == 200, allowed.text

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"allow_basic_authentication": "false"}, "allow_basic_authentication"),
            ({"allow_basic_authentication": 0}, "allow_basic_authentication"),
            ({"allow_basic_authentication": None}, "allow_basic_authentication"),
            ({"password": "short"}, "password"),
            ({"password": "x" * 129}, "password"),
            ({"password": None}, "password"),
            ({"password": 12345678}, "password"),
            ({"login": "renamed"}, "login"),
        ],
    )
    async def test_bad_bodies_are_422_naming_the_field_and_change_nothing(
        self, world: World, body: dict[str, Any], field: str
    ) -> None:
        child = await _child(world, "basic-bad")
        response = await _authentication(
            world, child["partner_sid"], body, headers={**JSON, **world.alice.headers()}
        )
        assert_error(response, 422, field)
        got = await world.client.get(
            f"{PARTNERS}/{child['partner_sid']}/authentication", headers=world.alice.headers()
        )
        assert got.json()["allow_basic_authentication"] is True
        assert (await world.client.get(PARTNERS, auth=basic("basic-bad"))).status_code == 200

    async def test_patch_needs_a_json_body(self, world: World) -> None:
        child = await _child(world, "basic-media")
        response = await world.client.patch(
            f"{PARTNERS}/{child['partner_sid']}/authentication",
            content=b"allow_basic_authentication=false",
            headers={**world.alice.headers(), "Content-Type": "text/plain"},
        )
        assert_error(response, 415)


class TestPasswordChange:
    async def test_the_old_password_stops_at_once_on_this_worker(self, world: World) -> None:
        child = await _child(world, "basic-pw")
        assert (await world.client.get(PARTNERS, auth=basic("basic-pw"))).status_code == 200
        changed = await _authentication(
            world,
            child["partner_sid"],
            {"password": "a-brand-new-password"},
            headers={**JSON, **world.alice.headers()},
        )
        assert changed.status_code == 200, changed.text
        assert "a-brand-new-password" not in changed.text
        assert_error(await world.client.get(PARTNERS, auth=basic("basic-pw")), 401)
        new = await world.client.get(PARTNERS, auth=basic("basic-pw", "a-brand-new-password"))
        assert new.status_code == 200
        token = await world.client.post(
            TOKEN,
            data={"grant_type": "password", "username": "basic-pw", "password": PASSWORD},
        )
        assert_error(token, 401)
        history = await world.client.get(
            f"{PARTNERS}/{child['partner_sid']}/history", headers=world.alice.headers()
        )
        entry = history.json()["items"][0]
        assert entry["changes"] == {"password": {"new": "[redacted]", "old": "[redacted]"}}
        assert "a-brand-new-password" not in history.text

    async def test_patch_and_put_still_refuse_a_password(self, world: World) -> None:
        child = await _child(world, "basic-pw-patch")
        response = await world.client.patch(
            f"{PARTNERS}/{child['partner_sid']}",
            json={"password": "another-password"},
            headers={**JSON, **world.alice.headers()},
        )
        items = assert_error(response, 422, "password")
        assert "/authentication" in items[0]["message"]

    async def test_a_deleted_partners_credentials_stop_at_once(self, world: World) -> None:
        child = await _child(world, "basic-deleted")
        assert (await world.client.get(PARTNERS, auth=basic("basic-deleted"))).status_code == 200
        deleted = await world.client.delete(
            f"{PARTNERS}/{child['partner_sid']}", headers=world.alice.headers()
        )
        assert deleted.status_code == 204
        assert_error(await world.client.get(PARTNERS, auth=basic("basic-deleted")), 401)


class TestCost:
    async def test_a_thousand_requests_cost_a_handful_of_verifications(self, world: World) -> None:
        await _child(world, "basic-hot")
        async with world.runtime.db.transaction(write=True) as uow:
            await accounts.set_limits(
                uow, account_id=world.alice.account_id, rate_limits={"core": [[100_000, 60]]}
            )
        before = _verifications(world)
        for _ in range(1000):
            response = await world.client.get(
                PARTNERS, params={"limit": "1"}, auth=basic("basic-hot")
            )
            assert response.status_code == 200, response.text
        assert _verifications(world) - before <= 3

    async def test_a_token_request_after_a_successful_check_costs_nothing(
        self, world: World
    ) -> None:
        await _child(world, "basic-oauth-cache")
        await login(world, "basic-oauth-cache")
        before = _verifications(world)
        await login(world, "basic-oauth-cache")
        assert (
            await world.client.get(PARTNERS, auth=basic("basic-oauth-cache"))
        ).status_code == 200
        assert _verifications(world) == before


def _budget_settings(database_url: str, **budgets: Any) -> Settings:
    """Refusals answered at once (the 1 s hold would only slow the test down)."""
    return suite_settings(database_url, password_check_refusal_delay_seconds=0, **budgets)


class TestPerLoginAndPerClientBudgets:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return _budget_settings(
            database_url, password_checks_per_second=1000, password_checks_per_client_per_minute=45
        )

    async def test_wrong_passwords_for_one_login_are_bounded(self, world: World) -> None:
        await _child(world, "basic-guessed")
        before = _verifications(world)
        answers = [
            (
                await world.client.get(PARTNERS, auth=basic("basic-guessed", f"guess-{i}"))
            ).status_code
            for i in range(25)
        ]
        assert answers == [401] * 20 + [429] * 5
        assert _verifications(world) - before == 20

    async def test_wrong_passwords_from_one_client_are_bounded(self, world: World) -> None:
        before = _verifications(world)
        answers = [
            (await world.client.get(PARTNERS, auth=basic(f"login-{i}", "guess"))).status_code
            for i in range(50)
        ]
        assert answers == [401] * 45 + [429] * 5
        assert _verifications(world) - before == 45

    async def test_others_failures_do_not_lock_a_login_out(self, world: World) -> None:
        """The per-login budget counts per client address: a guesser elsewhere spends only its
        own; and credentials checked recently are not checked again."""
        await _child(world, "basic-victim")
        assert (await world.client.get(PARTNERS, auth=basic("basic-victim"))).status_code == 200
        guesser = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=world.client._transport.app, client=("10.9.8.7", 1)),  # type: ignore[attr-defined]
            base_url="http://partnerhub.test",
        )
        async with guesser:
            for i in range(25):
                await guesser.get(PARTNERS, auth=basic("basic-victim", f"guess-{i}"))
            assert_error(await guesser.get(PARTNERS, auth=basic("basic-victim", "guess")), 429)
        assert (await world.client.get(PARTNERS, auth=basic("basic-victim"))).status_code == 200
        world.runtime.password_checks.forget(
            [p.id for p in await _partners_named(world, "basic-victim")]
        )
        assert (await world.client.get(PARTNERS, auth=basic("basic-victim"))).status_code == 200


class TestDeploymentBudget:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return _budget_settings(database_url)

    async def test_a_burst_of_wrong_passwords_is_bounded_by_the_deployments_budget(
        self, world: World
    ) -> None:
        """Default: 10 verifications per second, whoever asks and for whichever login. The
        burst arrives at once (each request spends its budgets before it waits for the hashing
        thread), so it falls in one window of the budget."""
        before = _verifications(world)
        answers = await asyncio.gather(
            *(world.client.get(PARTNERS, auth=basic(f"nobody-{i}", "guess")) for i in range(25))
        )
        assert _verifications(world) - before <= 10
        statuses = [a.status_code for a in answers]
        assert statuses.count(401) <= 10 and set(statuses) == {401, 429}
        limited = next(a for a in answers if a.status_code == 429)
        assert_error(limited, 429)
        assert int(limited.headers["Retry-After"]) >= 1


async def _partners_named(world: World, login_name: str) -> list[Any]:
    async with world.runtime.db.transaction() as uow:
        found = await uow.core_partners.get_by_login(login_name)
    return [found[0]] if found else []
