"""The console's integrations: the account's list, a new one per provider, the integration page
(masked secrets, edit, delete, history), scopes and tenancy. Sending a test: ..._smtp.py."""

from __future__ import annotations

from typing import Any

import pytest

from harness import World
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

PAGES = "/console/hood/integrations"
SECRET = k.TWILIO["auth_token"]


def _create_form(**overrides: str) -> dict[str, str]:
    return {
        "name": "Texts",
        "provider_id": "1000",
        "status": "active",
        "is_default": "false",
        "settings.account_sid": k.TWILIO["account_sid"],
        "settings.auth_token": SECRET,
        "settings.default_phone_number": k.TWILIO["default_phone_number"],
        **overrides,
    }


def _edit_form(**overrides: str) -> dict[str, str]:
    """The edit form as the page fills it: no provider, the secret input empty."""
    form = _create_form(**{"version": "1", "settings.auth_token": "", **overrides})
    del form["provider_id"]
    return form


async def _count(world: World) -> int:
    response = await world.client.get("/v1/hood/integrations", headers=world.alice.headers())
    total: int = response.json()["total"]
    return total


class TestList:
    async def test_lists_the_accounts_integrations(self, world: World, console: Console) -> None:
        iid = await k.integration(world)
        await k.integration(world, world.bob)
        page = await console.get(PAGES)
        assert page.status_code == 200
        assert (
            k.row(page.text, f"integration-{iid}") == f"{iid} Texts twilio sms active inactive no"
        )
        assert "Integrations of the account (1)" in text_of(page.text)
        assert '<label for="f-new-provider">Provider</label>' in page.text

    @pytest.mark.parametrize("provider", ["1000", "1001", "1002", "1003"])
    async def test_each_providers_form_names_its_settings(
        self, console: Console, provider: str
    ) -> None:
        page = await console.get(f"{PAGES}/new", provider=provider)
        assert page.status_code == 200
        assert 'name="provider_id" value="' + provider + '"' in page.text
        assert page.text.count('type="password"') == 1  # its one secret setting

    @pytest.mark.parametrize("provider", ["", "9999", "²", "x" * 300])
    async def test_an_unknown_provider_is_404(self, console: Console, provider: str) -> None:
        assert (await console.get(f"{PAGES}/new", provider=provider)).status_code == 404


class TestCreate:
    async def test_creates_and_masks_the_secret(self, world: World, console: Console) -> None:
        await console.get(f"{PAGES}/new", provider="1000")
        response = await console.post(PAGES, _create_form())
        assert response.status_code == 303, text_of(response.text)
        iid = response.headers["location"].split("/")[-1].split("?")[0]
        created = await k.api(world, f"integrations/{iid}")
        assert created["settings"]["auth_token"] == "****" + SECRET[-4:]
        (entry,) = await k.api_history(world, f"integrations/{iid}")
        assert entry["surface"] == "console"
        page = await console.get(response.headers["location"])
        assert "Created." in text_of(page.text)
        assert "auth_token (secret, masked) ****" + SECRET[-4:] in text_of(page.text)
        assert SECRET not in page.text

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "name is required."),
            ({"name": "n" * 101}, "name", "name must be at most 100 characters."),
            ({"status": "on"}, "status", "status must be one of active, inactive."),
            ({"is_default": "maybe"}, "is_default", "is_default must be a boolean."),
            (
                {"settings.account_sid": ""},
                "settings.account_sid",
                "settings.account_sid is required.",
            ),
            (
                {"settings.default_phone_number": "x" * 256},
                "settings.default_phone_number",
                "settings.default_phone_number must be 1 to 255 characters long.",
            ),
        ],
    )
    async def test_the_apis_message_and_the_secret_not_echoed(
        self,
        world: World,
        console: Console,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        await console.get(f"{PAGES}/new", provider="1000")
        response = await console.post(PAGES, _create_form(**overrides))
        assert response.status_code == 422, text_of(response.text)
        assert message in field_errors(response.text, field), text_of(response.text)
        assert SECRET not in response.text
        assert await _count(world) == 0

    async def test_an_unknown_provider_id_is_404(self, world: World, console: Console) -> None:
        await console.get(PAGES)
        response = await console.post(PAGES, _create_form(provider_id="²"))
        assert response.status_code == 404
        assert await _count(world) == 0

    async def test_without_csrf_nothing_is_made(self, world: World, console: Console) -> None:
        assert (await console.post(PAGES, _create_form(), csrf=False)).status_code == 403
        assert await _count(world) == 0


class TestIntegrationPage:
    async def test_edit_keeps_the_secret_when_left_empty(
        self, world: World, console: Console
    ) -> None:
        iid = await k.integration(world)
        page = await console.get(f"{PAGES}/{iid}")
        assert page.status_code == 200
        assert SECRET not in page.text
        assert 'name="settings.auth_token" type="password" value=""' in page.text
        response = await console.post(f"{PAGES}/{iid}", _edit_form(name="Renamed"))
        assert response.status_code == 303, text_of(response.text)
        after = await k.api(world, f"integrations/{iid}")
        assert after["name"] == "Renamed"
        assert after["settings"]["auth_token"] == "****" + SECRET[-4:]
        latest = (await k.api_history(world, f"integrations/{iid}"))[0]
        assert latest["surface"] == "console"
        assert latest["changes"] == {"name": {"old": "Texts", "new": "Renamed"}}

    async def test_a_new_secret_is_stored_and_its_history_redacted(
        self, world: World, console: Console
    ) -> None:
        iid = await k.integration(world)
        await console.get(f"{PAGES}/{iid}")
        fresh = "a-brand-new-secret-0042"
        response = await console.post(
            f"{PAGES}/{iid}", _edit_form(**{"settings.auth_token": fresh})
        )
        assert response.status_code == 303, text_of(response.text)
        assert (await k.api(world, f"integrations/{iid}"))["settings"]["auth_token"] == "****0042"
        page = await console.get(f"{PAGES}/{iid}")
        assert fresh not in page.text and SECRET not in page.text
        assert "settings.auth_token [redacted] [redacted]" in text_of(page.text)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "name must not be blank."),
            ({"status": ""}, "status", "status must be one of active, inactive."),
            ({"is_default": "1"}, "is_default", "is_default must be a boolean."),
            (
                {"settings.default_phone_number": ""},
                "settings.default_phone_number",
                "settings.default_phone_number is required.",
            ),
        ],
    )
    async def test_a_bad_edit_changes_nothing(
        self,
        world: World,
        console: Console,
        overrides: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        iid = await k.integration(world)
        before = await k.api(world, f"integrations/{iid}")
        await console.get(f"{PAGES}/{iid}")
        response = await console.post(
            f"{PAGES}/{iid}",
            _edit_form(**{"settings.auth_token": "typed-secret-xyz1", **overrides}),
        )
        assert response.status_code == 422, text_of(response.text)
        assert message in field_errors(response.text, field), text_of(response.text)
        assert "typed-secret-xyz1" not in response.text and SECRET not in response.text
        assert await k.api(world, f"integrations/{iid}") == before

    async def test_a_stale_edit_is_412(self, world: World, console: Console) -> None:
        iid = await k.integration(world)
        await console.get(f"{PAGES}/{iid}")
        response = await console.post(f"{PAGES}/{iid}", _edit_form(version="5", name="Late"))
        assert response.status_code == 412
        assert "This integration was changed since this form was loaded" in text_of(response.text)
        assert (await k.api(world, f"integrations/{iid}"))["name"] == "Texts"

    async def test_delete(self, world: World, console: Console) -> None:
        iid = await k.integration(world)
        await console.get(f"{PAGES}/{iid}")
        assert (
            await console.post(f"{PAGES}/{iid}/delete", {"version": "1"}, csrf=False)
        ).status_code == 403
        response = await console.post(f"{PAGES}/{iid}/delete", {"version": "1"})
        assert response.headers["location"] == f"{PAGES}?done=deleted"
        assert await _count(world) == 0
        assert (await console.get(f"{PAGES}/{iid}")).status_code == 404

    async def test_the_secret_is_on_no_page(self, world: World, console: Console) -> None:
        iid = await k.integration(world)
        pid = await k.partner(world)
        did = await k.deal(world, pid)
        cid = await k.campaign(
            world, did, messages=[{"channel": "sms", "integration_id": iid, "content": "Hi"}]
        )
        for path in (
            PAGES,
            f"{PAGES}/{iid}",
            f"/console/hood/partners/{pid}",
            f"/console/hood/deals/{did}",
            f"/console/hood/campaigns/{cid}",
            f"{PAGES}/new?provider=1000",
        ):
            page = await console.get(path)
            assert page.status_code == 200, path
            assert SECRET not in page.text, path
            assert SECRET[:-4] not in page.text, path

    @pytest.mark.parametrize("raw", ["999999", "²", "1" * 30, "abc"])
    async def test_unknown_ids_are_404(self, console: Console, raw: str) -> None:
        await console.get(PAGES)
        assert (await console.get(f"{PAGES}/{raw}")).status_code == 404
        assert (await console.post(f"{PAGES}/{raw}", _edit_form())).status_code == 404
        assert (
            await console.post(f"{PAGES}/{raw}/test", {"recipient": "+14155550111"})
        ).status_code == 404

    async def test_another_accounts_integration_is_unknown(
        self, world: World, console: Console
    ) -> None:
        bobs = await k.integration(world, world.bob)
        await console.get(PAGES)
        for path, data in (
            (f"{PAGES}/{bobs}", _edit_form(name="Mine now")),
            (f"{PAGES}/{bobs}/delete", {}),
            (f"{PAGES}/{bobs}/test", {"recipient": "+14155550111"}),
        ):
            assert (await console.post(path, data)).status_code == 404, path
        assert (await console.get(f"{PAGES}/{bobs}")).status_code == 404
        assert (await k.api(world, f"integrations/{bobs}", world.bob))["name"] == "Texts"


class TestScopes:
    async def test_without_the_scope_the_section_is_closed_and_403(
        self, world: World, console_as: SignIn
    ) -> None:
        iid = await k.integration(world)
        pid = await k.partner(world)
        console = await console_as(await world.token(world.alice, ["hood.partners.write"]))
        partner_page = await console.get(f"/console/hood/partners/{pid}")
        assert f'id="integration-{iid}"' not in partner_page.text
        assert "it needs the scope hood.integrations.read or hood.integrations.write" in text_of(
            partner_page.text
        )
        for path in (PAGES, f"{PAGES}/{iid}", f"{PAGES}/new?provider=1000"):
            response = await console.get(path)
            assert response.status_code == 403, path
            assert "hood.integrations" in text_of(response.text)
        posts: list[tuple[str, dict[str, Any]]] = [
            (PAGES, _create_form()),
            (f"{PAGES}/{iid}", _edit_form(name="No")),
            (f"{PAGES}/{iid}/test", {"recipient": "+14155550111"}),
            (f"{PAGES}/{iid}/delete", {"version": "1"}),
        ]
        for path, data in posts:
            assert (await console.post(path, data)).status_code == 403, path
        assert await _count(world) == 1
        assert (await k.api(world, f"integrations/{iid}"))["name"] == "Texts"

    async def test_read_only_sees_no_forms(self, world: World, console_as: SignIn) -> None:
        iid = await k.integration(world)
        console = await console_as(await world.token(world.alice, ["hood.integrations.read"]))
        page = await console.get(f"{PAGES}/{iid}")
        assert page.status_code == 200
        assert 'id="send-test"' not in page.text and 'id="edit-integration"' not in page.text
        assert "Read only: changing this needs the scope hood.integrations.write." in text_of(
            page.text
        )
        listing = await console.get(PAGES)
        assert 'id="f-new-provider"' not in listing.text
        assert (
            await console.post(f"{PAGES}/{iid}/test", {"recipient": "+1415555"})
        ).status_code == 403
