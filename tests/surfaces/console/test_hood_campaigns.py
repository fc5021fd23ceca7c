"""The console's campaign page: fields, messages, history; its edit form and state actions as
the API's state table allows them; scopes and tenancy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from harness import World
from partnerhub.domain.clock import utcnow
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of

CAMPAIGNS = "/console/hood/campaigns"


async def _campaign(world: World, **kw: object) -> str:
    return await k.campaign(world, await k.deal(world, await k.partner(world)), **kw)


def _later(days: int = 3) -> str:
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def _buttons(page: str) -> list[str]:
    return [b for b in ("pause", "resume", "cancel", "archive") if f'value="{b}"' in page]


class TestPage:
    async def test_shows_the_campaign(self, world: World, console: Console) -> None:
        cid = await _campaign(world, labels=["spring", "sale"])
        page = await console.get(f"{CAMPAIGNS}/{cid}")
        assert page.status_code == 200
        assert "<h1>Campaign Spring sale</h1>" in page.text
        assert '<dd id="campaign-status">draft</dd>' in page.text
        assert "labels spring, sale" in text_of(page.text)
        assert "push" in text_of(page.text.split("Messages")[1])
        assert "History (1 change)" in text_of(page.text)
        assert _buttons(page.text) == ["archive"]

    @pytest.mark.parametrize("raw", ["999999", "²", "1" * 30])
    async def test_unknown_ids_are_404(self, console: Console, raw: str) -> None:
        await console.get("/console")
        assert (await console.get(f"{CAMPAIGNS}/{raw}")).status_code == 404
        response = await console.post(f"{CAMPAIGNS}/{raw}/act", {"action": "archive"})
        assert response.status_code == 404

    async def test_another_accounts_campaign_is_unknown(
        self, world: World, console: Console
    ) -> None:
        bob_deal = await k.deal(world, await k.partner(world, world.bob), world.bob)
        bobs = await k.campaign(world, bob_deal, world.bob)
        await console.get("/console")
        assert (await console.get(f"{CAMPAIGNS}/{bobs}")).status_code == 404
        response = await console.post(f"{CAMPAIGNS}/{bobs}", {"name": "Mine"})
        assert response.status_code == 404
        assert (
            await console.post(f"{CAMPAIGNS}/{bobs}/act", {"action": "archive"})
        ).status_code == 404
        assert (await k.api(world, f"campaigns/{bobs}", world.bob))["archived"] == 0


class TestEdit:
    async def test_saves_with_history_via_console(self, world: World, console: Console) -> None:
        cid = await _campaign(world, description="old")
        await console.get(f"{CAMPAIGNS}/{cid}")
        response = await console.post(
            f"{CAMPAIGNS}/{cid}",
            {"version": "1", "name": "Summer sale", "description": "", "labels": "summer, hot"},
        )
        assert response.status_code == 303, text_of(response.text)
        campaign = await k.api(world, f"campaigns/{cid}")
        assert campaign["name"] == "Summer sale"
        assert campaign["description"] is None
        assert campaign["labels"] == ["summer", "hot"]
        latest = (await k.api_history(world, f"campaigns/{cid}"))[0]
        assert latest["surface"] == "console"
        page = await console.get(f"{CAMPAIGNS}/{cid}")
        assert k.timeline_surfaces(page.text)[0] == "console"

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"name": ""}, "name", "name must not be blank."),
            ({"name": "n" * 101}, "name", "name must be at most 100 characters."),
            ({"labels": "x" * 101}, "labels", "labels"),
            ({"labels": ",".join(f"l{i}" for i in range(51))}, "labels", "labels"),
        ],
    )
    async def test_the_apis_message_and_nothing_changed(
        self, world: World, console: Console, data: dict[str, str], field: str, message: str
    ) -> None:
        cid = await _campaign(world)
        before = await k.api(world, f"campaigns/{cid}")
        await console.get(f"{CAMPAIGNS}/{cid}")
        response = await console.post(f"{CAMPAIGNS}/{cid}", {"version": "1", **data})
        assert response.status_code == 422, text_of(response.text)
        assert any(message in m for m in field_errors(response.text, field)), text_of(response.text)
        assert await k.api(world, f"campaigns/{cid}") == before

    async def test_a_running_campaign_cannot_be_edited(
        self, world: World, console: Console
    ) -> None:
        cid = await _campaign(world, run_immediately=True)
        page = await console.get(f"{CAMPAIGNS}/{cid}")
        assert "A campaign in state 'running' cannot be updated." in text_of(page.text)
        response = await console.post(f"{CAMPAIGNS}/{cid}", {"version": "1", "name": "Renamed"})
        assert response.status_code == 400
        assert "A campaign in state 'running' cannot be updated" in text_of(response.text)
        assert (await k.api(world, f"campaigns/{cid}"))["name"] == "Spring sale"

    async def test_a_stale_form_is_412(self, world: World, console: Console) -> None:
        cid = await _campaign(world)
        await console.get(f"{CAMPAIGNS}/{cid}")
        response = await console.post(f"{CAMPAIGNS}/{cid}", {"version": "2", "name": "Late"})
        assert response.status_code == 412
        assert "This campaign was changed since this form was loaded" in text_of(response.text)


class TestActions:
    async def test_pause_resume_cancel_as_the_state_table_allows(
        self, world: World, console: Console
    ) -> None:
        cid = await _campaign(world, run_immediately=True)
        page = await console.get(f"{CAMPAIGNS}/{cid}")
        assert _buttons(page.text) == ["pause", "cancel"]
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "1", "action": "pause", "reason": "holiday"}
        )
        assert response.headers["location"] == f"{CAMPAIGNS}/{cid}?done=paused"
        campaign = await k.api(world, f"campaigns/{cid}")
        assert (campaign["status"], campaign["status_reason"]) == ("paused", "holiday")
        page = await console.get(response.headers["location"])
        assert "Paused." in text_of(page.text)
        assert _buttons(page.text) == ["resume", "cancel", "archive"]
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act",
            {"version": "2", "action": "resume", "scheduled_time": _later()},
        )
        assert response.status_code == 303, text_of(response.text)
        assert (await k.api(world, f"campaigns/{cid}"))["status"] == "scheduled"
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "3", "action": "cancel"}
        )
        assert response.status_code == 303, text_of(response.text)
        assert (await k.api(world, f"campaigns/{cid}"))["status"] == "canceled"
        surfaces = [e["surface"] for e in await k.api_history(world, f"campaigns/{cid}")]
        assert surfaces == ["console", "console", "console", "hood"]

    async def test_resume_now_and_archive(self, world: World, console: Console) -> None:
        cid = await _campaign(world, run_immediately=True)
        await console.get(f"{CAMPAIGNS}/{cid}")
        await console.post(f"{CAMPAIGNS}/{cid}/act", {"version": "1", "action": "pause"})
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "2", "action": "resume", "scheduled_time": ""}
        )
        assert response.status_code == 303, text_of(response.text)
        assert (await k.api(world, f"campaigns/{cid}"))["status"] == "running"
        draft = await _campaign(world)
        response = await console.post(
            f"{CAMPAIGNS}/{draft}/act", {"version": "1", "action": "archive"}
        )
        assert response.headers["location"] == f"{CAMPAIGNS}/{draft}?done=archived"
        assert (await k.api(world, f"campaigns/{draft}"))["archived"] == 1

    @pytest.mark.parametrize(
        ("data", "status", "message"),
        [
            ({"action": "pause"}, 400, "A campaign in state 'draft' cannot be paused"),
            ({"action": "explode"}, 422, "action : action must be one of pause, resume"),
            ({"action": ""}, 422, "action : action must be one of"),
        ],
    )
    async def test_refused_actions_change_nothing(
        self, world: World, console: Console, data: dict[str, str], status: int, message: str
    ) -> None:
        cid = await _campaign(world)
        await console.get(f"{CAMPAIGNS}/{cid}")
        response = await console.post(f"{CAMPAIGNS}/{cid}/act", {"version": "1", **data})
        assert response.status_code == status, text_of(response.text)
        form = response.text.split('id="campaign-actions"')[1].split("</form>")[0]
        assert message in text_of(form)
        after = await k.api(world, f"campaigns/{cid}")
        assert (after["status"], after["archived"]) == ("draft", 0)

    async def test_a_reason_too_long_is_named(self, world: World, console: Console) -> None:
        cid = await _campaign(world, run_immediately=True)
        await console.get(f"{CAMPAIGNS}/{cid}")
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "1", "action": "pause", "reason": "r" * 501}
        )
        assert response.status_code == 422
        assert any("reason must be at most" in m for m in field_errors(response.text, "reason"))
        assert (await k.api(world, f"campaigns/{cid}"))["status"] == "running"

    @pytest.mark.parametrize("when", ["yesterday", "2001-01-01 00:00:00", "²"])
    async def test_a_bad_resume_time_is_named(
        self, world: World, console: Console, when: str
    ) -> None:
        cid = await _campaign(world, run_immediately=True)
        await console.get(f"{CAMPAIGNS}/{cid}")
        await console.post(f"{CAMPAIGNS}/{cid}/act", {"version": "1", "action": "pause"})
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "2", "action": "resume", "scheduled_time": when}
        )
        assert response.status_code == 422
        assert any("scheduled_time" in m for m in field_errors(response.text, "scheduled_time"))
        assert (await k.api(world, f"campaigns/{cid}"))["status"] == "paused"

    async def test_without_csrf_nothing_happens(self, world: World, console: Console) -> None:
        cid = await _campaign(world)
        response = await console.post(
            f"{CAMPAIGNS}/{cid}/act", {"version": "1", "action": "archive"}, csrf=False
        )
        assert response.status_code == 403
        assert (await k.api(world, f"campaigns/{cid}"))["archived"] == 0


class TestScopes:
    async def test_without_the_campaign_scopes_403(self, world: World, console_as: SignIn) -> None:
        cid = await _campaign(world)
        console = await console_as(
            await world.token(world.alice, ["hood.partners.write", "hood.deals.write"])
        )
        response = await console.get(f"{CAMPAIGNS}/{cid}")
        assert response.status_code == 403
        assert "hood.campaigns.read or hood.campaigns.write" in text_of(response.text)
        assert (await console.post(f"{CAMPAIGNS}/{cid}", {"name": "No"})).status_code == 403
        assert (
            await console.post(f"{CAMPAIGNS}/{cid}/act", {"action": "archive"})
        ).status_code == 403
        assert (await k.api(world, f"campaigns/{cid}"))["archived"] == 0

    async def test_read_only(self, world: World, console_as: SignIn) -> None:
        cid = await _campaign(world)
        console = await console_as(await world.token(world.alice, ["hood.campaigns.read"]))
        page = await console.get(f"{CAMPAIGNS}/{cid}")
        assert page.status_code == 200 and 'id="edit-campaign"' not in page.text
        assert _buttons(page.text) == []
        assert "Read only: changing this needs the scope hood.campaigns.write." in text_of(
            page.text
        )
