"""Hood integrations (seed 002) and providers through the HTTP API, on both databases.

The Twilio provider is pointed at a local HTTP server that answers as Twilio's API does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from harness import World, suite_settings
from partnerhub.config import Settings
from partnerhub.storage.tables import history, hood_integrations
from provider_servers import HttpStub, http_stub, twilio_routes
from surfaces.hood.kit import BODY_NOT_VALID, assert_error, json_headers

INTEGRATIONS = "/v1/hood/integrations"
SID = "AC" + "f" * 32
TOKEN = "f9c" + "7" * 29
PHONE = "+14155550100"
TWILIO = {"account_sid": SID, "auth_token": TOKEN, "default_phone_number": PHONE}
UNKNOWN = "Unknown integration id."

# Seed 002's curl --data, byte for byte: a JSON string holding the object, whose inner JSON
# has a trailing comma after `settings`.
SEED_002 = (
    rb'"{\n \"name\": \"Test Patch\",\n \"status\": \"active\",\n \"settings\": \n {\n '
    rb"\"account_sid\": \"ACfXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\",\n \"auth_token\": "
    rb"\"f9cXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\",\n \"default_phone_number\":\"1324XXXXXXXX\"\n "
    rb'},\n}"'
)


@pytest.fixture
def twilio() -> Iterator[HttpStub]:
    with http_stub(twilio_routes(SID, TOKEN)) as stub:
        yield stub


@pytest.fixture
def settings(database_url: str, twilio: HttpStub) -> Settings:
    return suite_settings(
        database_url, provider_twilio_base_url=twilio.url, provider_timeout_seconds=2
    )


async def _create(world: World, **overrides: Any) -> dict[str, Any]:
    body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO, **overrides}
    response = await world.client.post(INTEGRATIONS, json=body, headers=json_headers(world.alice))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _get(world: World, integration_id: str) -> dict[str, Any]:
    response = await world.client.get(
        f"{INTEGRATIONS}/{integration_id}", headers=world.alice.headers()
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1
    item: dict[str, Any] = body["items"][0]
    return item


async def _patch(world: World, integration_id: str, body: Any, status: int = 204) -> Any:
    response = await world.client.patch(
        f"{INTEGRATIONS}/{integration_id}", json=body, headers=json_headers(world.alice)
    )
    assert response.status_code == status, response.text
    return response


async def _stored(world: World, integration_id: str) -> Any:
    async with world.runtime.db.transaction() as uow:
        return (
            await uow.conn.execute(
                select(hood_integrations).where(hood_integrations.c.id == int(integration_id))
            )
        ).one()


class TestSeed002:
    async def test_as_printed_the_body_is_not_valid_and_changes_nothing(self, world: World) -> None:
        created = await _create(world)
        response = await world.client.patch(
            f"{INTEGRATIONS}/{created['id']}", content=SEED_002, headers=json_headers(world.alice)
        )
        body = assert_error(response, 400, BODY_NOT_VALID, "trailing comma", "line 9 column 3")
        assert "inside the body string" in body["message"]
        assert (await _get(world, created["id"]))["name"] == "SMS"

    async def test_mended_it_updates_name_status_and_settings(self, world: World) -> None:
        created = await _create(world, status="inactive")
        mended = SEED_002.replace(rb"},\n}", rb"}\n}")
        response = await world.client.patch(
            f"{INTEGRATIONS}/{created['id']}", content=mended, headers=json_headers(world.alice)
        )
        assert response.status_code == 204, response.text
        item = await _get(world, created["id"])
        assert item["name"] == "Test Patch"
        assert item["status"] == "active"
        assert item["settings"] == {
            "account_sid": "ACfXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "auth_token": "****XXXX",
            "default_phone_number": "1324XXXXXXXX",
        }
        assert item["effective_status"] == "inactive"


class TestCreate:
    async def test_created_with_the_providers_type_and_masked_secrets(self, world: World) -> None:
        created = await _create(world)
        assert created["type"] == "sms"
        assert created["provider_id"] == "1000"
        assert created["provider"]["name"] == "twilio"
        assert created["settings"] == {**TWILIO, "auth_token": "****" + TOKEN[-4:]}
        assert created["status"] == "active"
        assert created["effective_status"] == "inactive"
        assert created["is_default"] is False
        assert created["company_id"] == str(world.alice.account_id)
        assert created["id"] == "1000000"  # Hood ids look like Ocamba's, on both databases
        assert created == await _get(world, created["id"])

    async def test_the_secret_is_stored_encrypted(self, world: World) -> None:
        created = await _create(world)
        row = await _stored(world, created["id"])
        assert TOKEN not in str(row.settings)
        assert world.runtime.secrets.decrypt(row.settings["auth_token"]) == TOKEN

    async def test_fields_of_other_providers_are_dropped(self, world: World) -> None:
        created = await _create(world, settings={**TWILIO, "api_key": "k" * 20})
        assert "api_key" not in created["settings"]

    @pytest.mark.parametrize(
        ("body", "needle"),
        [
            ({"settings": {"account_sid": SID, "auth_token": TOKEN}}, "default_phone_number"),
            ({"settings": {**TWILIO, "auth_token": 12345}}, "auth_token"),
            ({"settings": {**TWILIO, "auth_token": ""}}, "auth_token"),
            ({"settings": {**TWILIO, "auth_token": "x" * 256}}, "auth_token"),
            ({"name": "x" * 101}, "name"),
            ({"name": ""}, "name"),
            ({"status": "paused"}, "status"),
            ({"settings": "not an object"}, "settings"),
            ({"provider_id": True}, "provider_id"),
            ({"is_default": "yes"}, "is_default"),
        ],
    )
    async def test_bad_input_names_the_field(
        self, world: World, body: dict[str, Any], needle: str
    ) -> None:
        full = {"name": "SMS", "provider_id": "1000", "settings": TWILIO, **body}
        response = await world.client.post(
            INTEGRATIONS, json=full, headers=json_headers(world.alice)
        )
        assert_error(response, 400, needle)
        listed = await world.client.get(INTEGRATIONS, headers=world.alice.headers())
        assert listed.json()["total"] == 0

    async def test_unknown_provider(self, world: World) -> None:
        response = await world.client.post(
            INTEGRATIONS,
            json={"name": "x", "provider_id": "999999", "settings": {}},
            headers=json_headers(world.alice),
        )
        assert_error(response, 400, "Unknown provider id.")

    async def test_read_only_token_cannot_create(self, world: World) -> None:
        token = await world.token(world.alice, ["hood.integrations.read"])
        response = await world.client.post(
            INTEGRATIONS,
            json={"name": "x", "provider_id": "1000", "settings": TWILIO},
            headers=json_headers(world.alice, token),
        )
        assert_error(response, 403)


class TestPatch:
    async def test_masked_secret_sent_back_keeps_the_secret(self, world: World) -> None:
        created = await _create(world)
        await _patch(world, created["id"], {"settings": created["settings"], "name": "Renamed"})
        row = await _stored(world, created["id"])
        assert world.runtime.secrets.decrypt(row.settings["auth_token"]) == TOKEN
        assert (await _get(world, created["id"]))["name"] == "Renamed"

    async def test_settings_merge_key_by_key(self, world: World) -> None:
        created = await _create(world)
        await _patch(world, created["id"], {"settings": {"default_phone_number": "+15550001"}})
        item = await _get(world, created["id"])
        assert item["settings"]["default_phone_number"] == "+15550001"
        assert item["settings"]["account_sid"] == SID

    async def test_a_required_setting_cannot_be_removed(self, world: World) -> None:
        created = await _create(world)
        response = await _patch(
            world, created["id"], {"settings": {"default_phone_number": None}}, 400
        )
        assert_error(response, 400, "default_phone_number")

    @pytest.mark.parametrize(
        ("body", "needle"),
        [
            ({}, "At least one of the updatable fields should be sent"),
            ({"name": None}, "name"),
            ({"provider_id": "1001"}, "provider_id"),
            ({"type": "email"}, "type"),
            ({"status": "bogus"}, "status"),
        ],
    )
    async def test_bad_patch(self, world: World, body: dict[str, Any], needle: str) -> None:
        created = await _create(world)
        response = await _patch(world, created["id"], body, 400)
        assert_error(response, 400, needle)
        assert await _get(world, created["id"]) == created

    async def test_history_shows_that_a_secret_changed_never_its_value(self, world: World) -> None:
        created = await _create(world)
        new_token = "n" * 32
        await _patch(world, created["id"], {"settings": {"auth_token": new_token}})
        response = await world.client.get(
            f"{INTEGRATIONS}/{created['id']}/history", headers=world.alice.headers()
        )
        entries = response.json()["items"]
        assert [e["version"] for e in entries] == [2, 1]
        assert entries[0]["changes"] == {
            "settings.auth_token": {"old": "[redacted]", "new": "[redacted]"}
        }
        assert entries[1]["changes"]["settings.auth_token"] == {"old": None, "new": "[redacted]"}
        assert TOKEN not in response.text and new_token not in response.text


class TestDefaults:
    async def test_one_default_per_type(self, world: World) -> None:
        first = await _create(world, is_default=True)
        second = await _create(world, is_default=True)
        assert (await _get(world, first["id"]))["is_default"] is False
        assert (await _get(world, second["id"]))["is_default"] is True
        await _patch(world, first["id"], {"is_default": True})
        assert (await _get(world, first["id"]))["is_default"] is True
        assert (await _get(world, second["id"]))["is_default"] is False

    async def test_concurrent_defaults_leave_exactly_one(self, world: World) -> None:
        body = {"name": "SMS", "provider_id": "1000", "settings": TWILIO, "is_default": True}
        answers = await asyncio.gather(
            *(
                world.client.post(INTEGRATIONS, json=body, headers=json_headers(world.alice))
                for _ in range(8)
            )
        )
        assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
        listed = await world.client.get(
            INTEGRATIONS, params={"is_default": "1"}, headers=world.alice.headers()
        )
        assert listed.json()["total"] == 1


class TestListAndDelete:
    async def test_filters(self, world: World) -> None:
        a = await _create(world, name="Alpha", is_default=True)
        await _create(world, name="Beta", status="inactive")
        for params, names in (
            ({"type": "sms"}, ["Alpha", "Beta"]),
            ({"type": "email"}, []),
            ({"provider_id": "1000"}, ["Alpha", "Beta"]),
            ({"status": "inactive"}, ["Beta"]),
            ({"effective_status": "inactive"}, ["Alpha", "Beta"]),
            ({"effective_status": "active"}, []),
            ({"is_default": "1"}, ["Alpha"]),
            ({"q": "alp"}, ["Alpha"]),
            ({"sort": "-name"}, ["Beta", "Alpha"]),
        ):
            response = await world.client.get(
                INTEGRATIONS, params=params, headers=world.alice.headers()
            )
            assert response.status_code == 200, response.text
            assert [i["name"] for i in response.json()["items"]] == names, params
        assert a["is_default"] is True

    async def test_bad_filter(self, world: World) -> None:
        response = await world.client.get(
            INTEGRATIONS, params={"effective_status": "maybe"}, headers=world.alice.headers()
        )
        assert_error(response, 400, "effective_status")

    async def test_delete(self, world: World) -> None:
        created = await _create(world)
        response = await world.client.delete(
            f"{INTEGRATIONS}/{created['id']}", headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text
        gone = await world.client.get(
            f"{INTEGRATIONS}/{created['id']}", headers=world.alice.headers()
        )
        assert_error(gone, 400, UNKNOWN)


class TestIsolation:
    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [
            ("GET", "", None),
            ("PATCH", "", {"name": "stolen"}),
            ("DELETE", "", None),
            ("GET", "/history", None),
        ],
    )
    async def test_another_accounts_integration_is_unknown(
        self, world: World, method: str, suffix: str, body: Any
    ) -> None:
        created = await _create(world)
        response = await world.client.request(
            method,
            f"{INTEGRATIONS}/{created['id']}{suffix}",
            json=body,
            headers=json_headers(world.bob),
        )
        assert_error(response, 400, UNKNOWN)
        assert await _get(world, created["id"]) == created

    async def test_another_accounts_integration_cannot_be_tested(self, world: World) -> None:
        created = await _create(world)
        response = await world.client.post(
            "/v1/hood/test-notification",
            json={"integration_id": created["id"], "recipient": PHONE},
            headers=json_headers(world.bob),
        )
        assert_error(response, 400, UNKNOWN)

    async def test_lists_hold_only_own_integrations(self, world: World) -> None:
        await _create(world)
        response = await world.client.get(INTEGRATIONS, headers=world.bob.headers())
        assert response.json() == {"total": 0, "items": []}


class TestTwilioDelivery:
    async def test_validate_talks_to_twilio_and_makes_matching_settings_active(
        self, world: World, twilio: HttpStub
    ) -> None:
        created = await _create(world)
        response = await world.client.post(
            f"{INTEGRATIONS}/validate",
            json={"name": "SMS", "provider_id": "1000", "settings": TWILIO},
            headers=json_headers(world.alice),
        )
        assert response.status_code == 204, response.text
        (seen,) = twilio.requests
        assert (seen.method, seen.path) == ("GET", f"/2010-04-01/Accounts/{SID}.json")
        assert seen.basic_auth() == (SID, TOKEN)
        assert (await _get(world, created["id"]))["effective_status"] == "active"
        # New settings fall back until they pass too.
        await _patch(world, created["id"], {"settings": {"default_phone_number": "+15550001"}})
        assert (await _get(world, created["id"]))["effective_status"] == "inactive"

    async def test_validate_with_bad_credentials_is_400_naming_twilios_reason(
        self, world: World
    ) -> None:
        response = await world.client.post(
            f"{INTEGRATIONS}/validate",
            json={
                "name": "SMS",
                "provider_id": "1000",
                "settings": {**TWILIO, "auth_token": "w" * 32},
            },
            headers=json_headers(world.alice),
        )
        assert_error(response, 400, "twilio", "Authenticate")

    async def test_test_notification_sends_one_sms(self, world: World, twilio: HttpStub) -> None:
        created = await _create(world)
        response = await world.client.post(
            "/v1/hood/test-notification",
            json={"integration_id": created["id"], "recipient": "+38163123456"},
            headers=json_headers(world.alice),
        )
        assert response.status_code == 204, response.text
        (seen,) = twilio.requests
        assert seen.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
        assert seen.form()["To"] == "+38163123456"
        assert seen.form()["From"] == PHONE
        assert "SMS" in seen.form()["Body"]
        assert (await _get(world, created["id"]))["effective_status"] == "active"

    async def test_test_notification_bad_recipient(self, world: World) -> None:
        created = await _create(world)
        response = await world.client.post(
            "/v1/hood/test-notification",
            json={"integration_id": created["id"], "recipient": "not a phone"},
            headers=json_headers(world.alice),
        )
        assert_error(response, 400, "recipient")

    async def test_test_notification_needs_exactly_one_integration(self, world: World) -> None:
        response = await world.client.post(
            "/v1/hood/test-notification",
            json={"recipient": PHONE},
            headers=json_headers(world.alice),
        )
        assert_error(response, 400, "exactly one of integration and integration_id")


class TestProviders:
    async def test_list_and_get(self, world: World) -> None:
        response = await world.client.get("/v1/hood/providers", headers=world.alice.headers())
        assert response.status_code == 200, response.text
        body = response.json()
        by_id = {p["id"]: p for p in body["items"]}
        assert by_id["1000"]["name"] == "twilio" and by_id["1000"]["type"] == "sms"
        assert {s["name"] for s in by_id["1000"]["settings"]} == set(TWILIO)
        assert all(
            set(s) == {"title", "name", "type", "required", "deprecated"}
            for p in body["items"]
            for s in p["settings"]
        )
        assert {p["type"] for p in body["items"]} == {"sms", "email"}
        one = await world.client.get("/v1/hood/providers/1000", headers=world.alice.headers())
        assert one.json() == {"total": 1, "items": [by_id["1000"]]}

    async def test_filter_by_type(self, world: World) -> None:
        response = await world.client.get(
            "/v1/hood/providers", params={"type": "email"}, headers=world.alice.headers()
        )
        assert {p["type"] for p in response.json()["items"]} == {"email"}
        assert response.json()["total"] >= 3

    async def test_unknown_provider(self, world: World) -> None:
        response = await world.client.get("/v1/hood/providers/42", headers=world.alice.headers())
        assert_error(response, 400, "Unknown provider id.")


async def test_no_secret_in_any_row(world: World) -> None:
    created = await _create(world)
    await _patch(world, created["id"], {"settings": {"auth_token": "s" * 30}})
    async with world.runtime.db.transaction() as uow:
        rows = [
            *await uow.conn.execute(select(hood_integrations)),
            *await uow.conn.execute(select(history)),
        ]
    text = " ".join(str(tuple(r)) for r in rows)
    assert TOKEN not in text and "s" * 30 not in text
