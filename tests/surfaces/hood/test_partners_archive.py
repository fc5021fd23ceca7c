"""POST /v1/hood/partners/{id}/archive and /unarchive."""

from __future__ import annotations

from harness import World
from surfaces.hood.kit import (
    PARTNERS,
    UNKNOWN_PARTNER,
    assert_error,
    create_partner,
    get_partner,
    history,
    total,
)


async def archive(world: World, partner_id: str, action: str = "archive", **headers: str) -> int:
    response = await world.client.post(
        f"{PARTNERS}/{partner_id}/{action}", headers=world.alice.headers(**headers)
    )
    if response.status_code != 204:
        assert_error(response, response.status_code)
    else:
        assert response.content == b""
    return response.status_code


class TestArchivePartner:
    async def test_archive_is_204_and_hides_the_partner(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await world.client.post(
            f"{PARTNERS}/{created['id']}/archive", headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text
        assert response.headers["etag"] == '"2"'
        assert await total(world, world.alice) == 0
        assert await total(world, world.alice, archived="1") == 1
        got = await get_partner(world, world.alice, created["id"])
        assert got["archived"] == 1
        assert {k: v for k, v in got.items() if k not in ("archived", "update_time")} == {
            k: v for k, v in created.items() if k not in ("archived", "update_time")
        }
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"]) == 204
        assert await total(world, world.alice, id=created["id"]) == 0
        assert await total(world, world.alice, id=created["id"], archived="1") == 1

    async def test_archive_twice_or_with_an_empty_body_is_fine(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"]) == 204
        assert await archive(world, created["id"]) == 204
        assert [e["action"] for e in await history(world, world.alice, created["id"])] == [
            "archive",
            "create",
        ]
        created = await create_partner(world, world.alice)
        response = await world.client.post(
            f"{PARTNERS}/{created['id']}/archive",
            content=b"",
            headers=world.alice.headers(**{"Content-Type": "application/json"}),
        )
        assert response.status_code == 204, response.text

    async def test_stale_if_match_is_412_and_changes_nothing(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"], **{"If-Match": '"5"'}) == 412
        assert (await get_partner(world, world.alice, created["id"]))["archived"] == 0
        assert await archive(world, created["id"], **{"If-Match": '"1"'}) == 204
        assert (await get_partner(world, world.alice, created["id"]))["archived"] == 1

    async def test_unknown_malformed_and_foreign_ids_are_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        for partner_id in ("999999999", "abc", "1" * 30, theirs["id"]):
            response = await world.client.post(
                f"{PARTNERS}/{partner_id}/archive", headers=world.alice.headers()
            )
            assert_error(response, 400, UNKNOWN_PARTNER)
        assert (await get_partner(world, world.bob, theirs["id"]))["archived"] == 0


class TestUnarchivePartner:
    async def test_unarchive_restores(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"]) == 204
        response = await world.client.post(
            f"{PARTNERS}/{created['id']}/unarchive", headers=world.alice.headers()
        )
        assert response.status_code == 204, response.text
        assert response.headers["etag"] == '"3"'
        assert await total(world, world.alice) == 1
        assert (await get_partner(world, world.alice, created["id"]))["archived"] == 0

    async def test_unarchive_of_an_active_partner_or_stale_if_match_changes_nothing(
        self, world: World
    ) -> None:
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"], "unarchive") == 204
        assert len(await history(world, world.alice, created["id"])) == 1
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"]) == 204
        assert await archive(world, created["id"], "unarchive", **{"If-Match": '"1"'}) == 412
        assert (await get_partner(world, world.alice, created["id"]))["archived"] == 1
        assert await archive(world, created["id"], "unarchive", **{"If-Match": '"2"'}) == 204

    async def test_history_has_archive_and_unarchive_entries(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert await archive(world, created["id"]) == 204
        assert await archive(world, created["id"], "unarchive") == 204
        entries = await history(world, world.alice, created["id"])
        assert [(e["version"], e["action"]) for e in entries] == [
            (3, "unarchive"),
            (2, "archive"),
            (1, "create"),
        ]
        assert entries[0]["changes"] == {"archived": {"old": 1, "new": 0}}
        assert entries[1]["changes"] == {"archived": {"old": 0, "new": 1}}

    async def test_foreign_id_is_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        response = await world.client.post(
            f"{PARTNERS}/{theirs['id']}/archive", headers=world.bob.headers()
        )
        assert response.status_code == 204
        response = await world.client.post(
            f"{PARTNERS}/{theirs['id']}/unarchive", headers=world.alice.headers()
        )
        assert_error(response, 400, UNKNOWN_PARTNER)
        assert (await get_partner(world, world.bob, theirs["id"]))["archived"] == 1
