"""GET /v1/hood/partners/{id}/history: every change, newest first, with who and what."""

from __future__ import annotations

from harness import World
from surfaces.hood.kit import (
    HOOD_TIME,
    PARTNERS,
    UNKNOWN_PARTNER,
    assert_error,
    create_partner,
    list_items,
    token_ids,
)


class TestPartnerHistory:
    async def test_entries_newest_first_with_every_detail(self, world: World) -> None:
        created = await create_partner(world, world.alice, contacts=[])
        other_token = await world.token(world.alice, ["hood.partners.write"])
        response = await world.client.patch(
            f"{PARTNERS}/{created['id']}",
            json={"status": "inactive", "description": None},
            headers=world.alice.headers(other_token),
        )
        assert response.status_code == 204, response.text
        response = await world.client.post(
            f"{PARTNERS}/{created['id']}/archive", headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text

        total, entries = await list_items(world, world.alice, f"{PARTNERS}/{created['id']}/history")
        assert total == 3
        default_token, second_token = await token_ids(world, world.alice)
        assert [(e["version"], e["action"], e["token_id"]) for e in entries] == [
            (3, "archive", str(default_token)),
            (2, "update", str(second_token)),
            (1, "create", str(default_token)),
        ]
        for entry in entries:
            assert set(entry) == {
                "version",
                "action",
                "surface",
                "token_id",
                "changed_at",
                "changes",
            }
            assert entry["surface"] == "hood"
            assert HOOD_TIME.fullmatch(entry["changed_at"])
        assert entries[1]["changes"] == {
            "description": {"old": "test description", "new": None},
            "status": {"old": "active", "new": "inactive"},
        }
        created_changes = entries[2]["changes"]
        assert created_changes["name"] == {"old": None, "new": "Hairdressing Claire"}
        assert created_changes["status"] == {"old": None, "new": "active"}
        assert created_changes["billing_address"]["new"] == created["billing_address"]

    async def test_page(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for name in ("two", "three"):
            response = await world.client.patch(
                f"{PARTNERS}/{created['id']}", json={"name": name}, headers=world.alice.headers()
            )
            assert response.status_code == 204
        path = f"{PARTNERS}/{created['id']}/history"
        total, [entry] = await list_items(world, world.alice, path, page="2,1")
        assert (total, entry["version"]) == (3, 2)
        response = await world.client.get(
            path, params={"colour": "x"}, headers=world.alice.headers()
        )
        assert_error(response, 400, "colour")

    async def test_unknown_malformed_and_foreign_ids_are_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        for partner_id in ("999999999", "abc", "1" * 30, theirs["id"]):
            response = await world.client.get(
                f"{PARTNERS}/{partner_id}/history", headers=world.alice.headers()
            )
            assert_error(response, 400, UNKNOWN_PARTNER)

    async def test_rejected_requests_leave_no_entry(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for body in ({"status": "nope"}, {"payment_terms": {"net_terms": None}}, {}):
            response = await world.client.patch(
                f"{PARTNERS}/{created['id']}", json=body, headers=world.alice.headers()
            )
            assert response.status_code == 400
        total, _ = await list_items(world, world.alice, f"{PARTNERS}/{created['id']}/history")
        assert total == 1
