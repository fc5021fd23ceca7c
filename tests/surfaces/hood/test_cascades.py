"""Seed 000's warning, through the public API only: a partner's status sets its deals' and
their campaigns' effective status (and gives it back), a deal's status its campaigns', and
archiving cascades as Ocamba documents (README "Deals, campaigns and their cascades")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from harness import World
from surfaces.hood.kit import assert_error, create_partner, json_headers

DEALS = "/v1/hood/deals"
CAMPAIGNS = "/v1/hood/campaigns"
LATER = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")


async def _ok(response: Any, status: int = 204) -> Any:
    answer = await response
    assert answer.status_code == status, answer.text
    return answer.json() if answer.content else None


async def _deal(world: World, partner_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Deal", "partner_id": partner_id, "base_price": 1.5, "clickthrough": True}
    created: dict[str, Any] = await _ok(
        world.client.post(DEALS, json={**body, **fields}, headers=json_headers(world.alice)), 201
    )
    return created


async def _campaign(world: World, deal_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Campaign",
        "deal_id": deal_id,
        "scheduled_time": LATER,
        "messages": [{"channel": "push", "content": "Hello"}],
    }
    created: dict[str, Any] = await _ok(
        world.client.post(CAMPAIGNS, json={**body, **fields}, headers=json_headers(world.alice)),
        201,
    )
    return created


async def _get(world: World, path: str) -> dict[str, Any]:
    body = await _ok(world.client.get(path, headers=world.alice.headers()), 200)
    item: dict[str, Any] = body["items"][0]
    return item


async def _patch(world: World, path: str, body: dict[str, Any]) -> None:
    await _ok(world.client.patch(path, json=body, headers=json_headers(world.alice)))


async def _post(world: World, path: str, body: dict[str, Any] | None = None) -> Any:
    return await world.client.post(path, json=body or {}, headers=json_headers(world.alice))


async def _family(world: World) -> tuple[str, dict[str, Any], dict[str, Any]]:
    partner = await create_partner(world, world.alice)
    deal = await _deal(world, partner["id"])
    campaign = await _campaign(world, deal["id"])
    return partner["id"], deal, campaign


async def _states(world: World, deal: dict[str, Any], campaign: dict[str, Any]) -> tuple:
    d = await _get(world, f"{DEALS}/{deal['id']}")
    c = await _get(world, f"{CAMPAIGNS}/{campaign['id']}")
    return d["status"], d["effective_status"], c["status"], c["effective_status"]


class TestPartnerStatus:
    @pytest.mark.parametrize(
        ("status", "effective"),
        [
            ("inactive", "inactive"),
            ("pending", "inactive"),
            ("suspended", "inactive"),
            ("terminated", "inactive"),
        ],
    )
    async def test_children_follow_and_come_back(
        self, world: World, status: str, effective: str
    ) -> None:
        pid, deal, campaign = await _family(world)
        assert await _states(world, deal, campaign) == (
            "active",
            "active",
            "scheduled",
            "scheduled",
        )
        await _patch(world, f"/v1/hood/partners/{pid}", {"status": status})
        assert await _states(world, deal, campaign) == ("active", effective, "scheduled", effective)
        await _patch(world, f"/v1/hood/partners/{pid}", {"status": "active"})
        assert await _states(world, deal, campaign) == (
            "active",
            "active",
            "scheduled",
            "scheduled",
        )

    async def test_an_inactive_deal_stays_inactive_when_its_partner_comes_back(
        self, world: World
    ) -> None:
        pid, deal, campaign = await _family(world)
        await _patch(world, f"{DEALS}/{deal['id']}", {"status": "inactive"})
        await _patch(world, f"/v1/hood/partners/{pid}", {"status": "inactive"})
        await _patch(world, f"/v1/hood/partners/{pid}", {"status": "active"})
        assert await _states(world, deal, campaign) == (
            "inactive",
            "inactive",
            "scheduled",
            "inactive",
        )

    async def test_history_names_the_cause(self, world: World) -> None:
        pid, deal, campaign = await _family(world)
        await _patch(world, f"/v1/hood/partners/{pid}", {"status": "inactive"})
        for path in (f"{DEALS}/{deal['id']}/history", f"{CAMPAIGNS}/{campaign['id']}/history"):
            entries = (await _ok(world.client.get(path, headers=world.alice.headers()), 200))[
                "items"
            ]
            assert entries[0]["changes"]["effective_status"] == {
                "old": entries[0]["changes"]["effective_status"]["old"],
                "new": "inactive",
                "cause": f"partner {pid} status",
            }

    async def test_a_deal_made_for_an_inactive_partner_is_effectively_inactive(
        self, world: World
    ) -> None:
        partner = await create_partner(world, world.alice, status="inactive")
        deal = await _deal(world, partner["id"])
        assert (deal["status"], deal["effective_status"]) == ("active", "inactive")
        campaign = await _campaign(world, deal["id"])
        assert campaign["effective_status"] == "inactive"


class TestDealStatus:
    async def test_campaigns_follow_the_deal_and_come_back(self, world: World) -> None:
        _, deal, campaign = await _family(world)
        await _patch(world, f"{DEALS}/{deal['id']}", {"status": "inactive"})
        assert await _states(world, deal, campaign) == (
            "inactive",
            "inactive",
            "scheduled",
            "inactive",
        )
        await _patch(world, f"{DEALS}/{deal['id']}", {"status": "active"})
        assert await _states(world, deal, campaign) == (
            "active",
            "active",
            "scheduled",
            "scheduled",
        )


class TestArchive:
    async def test_a_deal_with_an_active_campaign_cannot_be_archived(self, world: World) -> None:
        _, deal, campaign = await _family(world)
        response = await _post(world, f"{DEALS}/{deal['id']}/archive")
        assert_error(response, 400, "active campaign")
        assert (await _get(world, f"{DEALS}/{deal['id']}"))["archived"] == 0
        assert (await _get(world, f"{CAMPAIGNS}/{campaign['id']}"))["archived"] == 0

    async def test_archiving_a_deal_archives_its_campaigns(self, world: World) -> None:
        _, deal, campaign = await _family(world)
        paused = await _post(world, f"{CAMPAIGNS}/{campaign['id']}/pause", {"reason": "stop"})
        assert paused.status_code == 204, paused.text
        response = await _post(world, f"{DEALS}/{deal['id']}/archive")
        assert response.status_code == 204, response.text
        assert (await _get(world, f"{DEALS}/{deal['id']}"))["archived"] == 1
        assert (await _get(world, f"{CAMPAIGNS}/{campaign['id']}"))["archived"] == 1

    async def test_archiving_a_partner_spares_active_deals(self, world: World) -> None:
        pid, active, active_campaign = await _family(world)
        inactive = await _deal(world, pid, status="inactive")
        inactive_campaign = await _campaign(world, inactive["id"])
        await _ok(_post(world, f"/v1/hood/partners/{pid}/archive"))
        assert (await _get(world, f"{DEALS}/{active['id']}"))["archived"] == 0
        assert (await _get(world, f"{CAMPAIGNS}/{active_campaign['id']}"))["archived"] == 0
        assert (await _get(world, f"{DEALS}/{inactive['id']}"))["archived"] == 1
        assert (await _get(world, f"{CAMPAIGNS}/{inactive_campaign['id']}"))["archived"] == 1
        # Unarchiving the partner gives back only the partner.
        await _ok(_post(world, f"/v1/hood/partners/{pid}/unarchive"))
        assert (await _get(world, f"{DEALS}/{inactive['id']}"))["archived"] == 1
        assert (await _get(world, f"{CAMPAIGNS}/{inactive_campaign['id']}"))["archived"] == 1
