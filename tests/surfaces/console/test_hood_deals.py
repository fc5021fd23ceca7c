"""The console's deal page: fields, campaigns, history; the edit form and the partner page's
status select (with their cascade to campaigns), archiving, scopes and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from harness import World
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

DEALS = "/console/hood/deals"


def _form(**overrides: str) -> dict[str, str]:
    return {
        "version": "1",
        "name": "Spring deal",
        "description": "",
        "status": "active",
        "base_price": "1.5",
        "budget": "",
        "time_window": "",
        "frequency_cap.max_value": "",
        "frequency_cap.per_unit": "",
        "clickthrough": "true",
        "unique_conversion": "false",
        "base_price_priority": "false",
        **overrides,
    }


async def _family(world: World) -> tuple[str, str, str]:
    pid = await k.partner(world)
    did = await k.deal(world, pid)
    return pid, did, await k.campaign(world, did)


class TestPage:
    async def test_shows_the_deal_its_campaigns_and_history(
        self, world: World, console: Console
    ) -> None:
        pid, did, cid = await _family(world)
        page = await console.get(f"{DEALS}/{did}")
        assert page.status_code == 200
        assert "<h1>Deal Spring deal</h1>" in page.text
        assert '<dd id="deal-effective-status">active</dd>' in page.text
        assert '<dd id="deal-base-price">1.5</dd>' in page.text
        assert k.row(page.text, f"campaign-{cid}") == f"{cid} Spring sale draft draft no"
        assert "History (1 change)" in text_of(page.text)
        assert f'href="/console/hood/partners/{pid}"' in page.text
        assert '<label for="f-status">Deal status</label>' in page.text

    @pytest.mark.parametrize("raw", ["999999", "²", "1" * 30, "x"])
    async def test_unknown_ids_are_404(self, console: Console, raw: str) -> None:
        await console.get("/console")
        assert (await console.get(f"{DEALS}/{raw}")).status_code == 404
        assert (await console.post(f"{DEALS}/{raw}", _form())).status_code == 404

    async def test_another_accounts_deal_is_unknown(self, world: World, console: Console) -> None:
        bobs = await k.deal(world, await k.partner(world, world.bob), world.bob)
        await console.get("/console")
        assert (await console.get(f"{DEALS}/{bobs}")).status_code == 404
        assert (await console.post(f"{DEALS}/{bobs}", _form(name="Mine"))).status_code == 404
        assert (await console.post(f"{DEALS}/{bobs}/archive", {})).status_code == 404
        assert (await k.api(world, f"deals/{bobs}", world.bob))["name"] == "Spring deal"


class TestEdit:
    async def test_saves_with_history_via_console(self, world: World, console: Console) -> None:
        _, did, _ = await _family(world)
        await console.get(f"{DEALS}/{did}")
        response = await console.post(
            f"{DEALS}/{did}",
            _form(
                name="Summer deal",
                base_price="2.75",
                budget="1000",
                time_window="3600",
                **{"frequency_cap.max_value": "12", "frequency_cap.per_unit": "day"},
                unique_conversion="true",
            ),
        )
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"] == f"{DEALS}/{did}?done=saved"
        deal = await k.api(world, f"deals/{did}")
        assert (deal["name"], deal["base_price"], deal["budget"]) == ("Summer deal", 2.75, 1000)
        assert deal["frequency_cap"] == {"max_value": 12, "per_unit": "day"}
        assert deal["time_window"] == 3600 and deal["unique_conversion"] is True
        latest = (await k.api_history(world, f"deals/{did}"))[0]
        assert latest["surface"] == "console"
        page = await console.get(f"{DEALS}/{did}")
        assert k.timeline_surfaces(page.text)[0] == "console"

    async def test_the_partner_pages_status_select_cascades(
        self, world: World, console: Console
    ) -> None:
        pid, did, cid = await _family(world)
        await console.get(f"/console/hood/partners/{pid}")
        response = await console.post(
            f"{DEALS}/{did}", {"version": "1", "status": "inactive", "back": "partner"}
        )
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"] == f"/console/hood/partners/{pid}?done=saved"
        page = await console.get(response.headers["location"])
        assert k.row(page.text, f"deal-{did}").startswith(f"{did} Spring deal inactive inactive")
        assert k.row(page.text, f"campaign-{cid}").endswith("draft inactive no")
        deal = await k.api(world, f"deals/{did}")
        assert deal["name"] == "Spring deal" and deal["base_price"] == 1.5  # only status sent
        campaign = await k.api(world, f"campaigns/{cid}")
        assert campaign["effective_status"] == "inactive"

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "name must not be blank."),
            ({"status": "paused"}, "status", "status must be one of active, inactive."),
            ({"base_price": "abc"}, "base_price", "base_price must be a number."),
            ({"base_price": "²"}, "base_price", "base_price must be a number."),
            ({"base_price": ""}, "base_price", "base_price must be a number."),
            ({"base_price": "0"}, "base_price", "base_price must be between 0.01 and 10000."),
            ({"base_price": "1" * 30}, "base_price", "base_price must be between 0.01 and 10000."),
            ({"budget": "1.001"}, "budget", "budget must have at most 2 decimal places."),
            ({"time_window": "-1"}, "time_window", "time_window"),
            ({"time_window": "1.5"}, "time_window", "time_window"),
            ({"clickthrough": "maybe"}, "clickthrough", "clickthrough must be a boolean."),
            ({"frequency_cap.max_value": "5"}, "frequency_cap.per_unit", "is required."),
            (
                {"frequency_cap.max_value": "x", "frequency_cap.per_unit": "day"},
                "frequency_cap.max_value",
                "frequency_cap.max_value",
            ),
            ({"description": "d" * 2001}, "description", "description must be at most 2000"),
        ],
    )
    async def test_the_apis_message_next_to_the_field_and_nothing_changed(
        self,
        world: World,
        console: Console,
        overrides: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        _, did, _ = await _family(world)
        before = await k.api(world, f"deals/{did}")
        await console.get(f"{DEALS}/{did}")
        response = await console.post(f"{DEALS}/{did}", _form(**overrides))
        assert response.status_code == 422, text_of(response.text)
        shown = field_errors(response.text, field)
        assert any(message in m for m in shown), (shown, text_of(response.text))
        assert await k.api(world, f"deals/{did}") == before

    async def test_a_stale_form_is_412(self, world: World, console: Console) -> None:
        _, did, _ = await _family(world)
        await console.get(f"{DEALS}/{did}")
        response = await console.post(f"{DEALS}/{did}", _form(version="3", name="Late"))
        assert response.status_code == 412
        assert "This deal was changed since this form was loaded" in text_of(response.text)
        assert (await k.api(world, f"deals/{did}"))["name"] == "Spring deal"

    async def test_without_csrf_nothing_changes(self, world: World, console: Console) -> None:
        _, did, _ = await _family(world)
        assert (
            await console.post(f"{DEALS}/{did}", _form(name="X"), csrf=False)
        ).status_code == 403
        assert (await console.post(f"{DEALS}/{did}/archive", {}, csrf=False)).status_code == 403
        deal = await k.api(world, f"deals/{did}")
        assert deal["name"] == "Spring deal" and deal["archived"] == 0


class TestArchive:
    async def test_archives_the_deal_and_its_campaigns(
        self, world: World, console: Console
    ) -> None:
        _, did, cid = await _family(world)
        await console.get(f"{DEALS}/{did}")
        response = await console.post(f"{DEALS}/{did}/archive", {"version": "1"})
        assert response.headers["location"] == f"{DEALS}/{did}?done=archived"
        assert (await k.api(world, f"deals/{did}"))["archived"] == 1
        assert (await k.api(world, f"campaigns/{cid}"))["archived"] == 1
        page = await console.get(f"{DEALS}/{did}")
        assert 'id="archive-deal"' not in page.text
        refused = await console.post(f"{DEALS}/{did}", _form(version="2", name="Again"))
        assert refused.status_code == 400
        assert "Archived deals can not be updated." in text_of(refused.text)

    async def test_a_deal_with_a_running_campaign_stays(
        self, world: World, console: Console
    ) -> None:
        pid = await k.partner(world)
        did = await k.deal(world, pid)
        await k.campaign(world, did, run_immediately=True)
        await console.get(f"{DEALS}/{did}")
        response = await console.post(f"{DEALS}/{did}/archive", {"version": "1"})
        assert response.status_code == 422
        assert "active campaign" in text_of(response.text)
        assert (await k.api(world, f"deals/{did}"))["archived"] == 0


class TestScopes:
    async def test_without_the_deal_scopes_403(self, world: World, console_as: SignIn) -> None:
        pid, did, _ = await _family(world)
        console = await console_as(await world.token(world.alice, ["hood.partners.write"]))
        page = await console.get(f"/console/hood/partners/{pid}")
        assert f'id="deal-{did}"' not in page.text
        response = await console.get(f"{DEALS}/{did}")
        assert response.status_code == 403
        assert "hood.deals.read or hood.deals.write" in text_of(response.text)
        assert (await console.post(f"{DEALS}/{did}", _form(name="No"))).status_code == 403
        assert (await console.post(f"{DEALS}/{did}/archive", {})).status_code == 403
        assert (await k.api(world, f"deals/{did}"))["name"] == "Spring deal"

    async def test_read_only(self, world: World, console_as: SignIn) -> None:
        _, did, _ = await _family(world)
        console = await console_as(await world.token(world.alice, ["hood.deals.read"]))
        page = await console.get(f"{DEALS}/{did}")
        assert page.status_code == 200 and 'id="edit-deal"' not in page.text
        assert "Read only: changing this needs the scope hood.deals.write." in text_of(page.text)
        assert "it needs the scope hood.campaigns.read" in text_of(page.text)
        response = await console.post(f"{DEALS}/{did}", {"version": "1", "status": "inactive"})
        assert response.status_code == 403
        assert (await k.api(world, f"deals/{did}"))["status"] == "active"
