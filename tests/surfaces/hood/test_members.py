"""/v1/hood/members: the account's managers, read only."""

from __future__ import annotations

from harness import World
from surfaces.hood.kit import HOOD, HOOD_TIME, READ_ONLY, assert_error, list_items

MEMBERS = f"{HOOD}/members"


class TestListMembers:
    async def test_lists_the_accounts_members(self, world: World) -> None:
        total, items = await list_items(world, world.alice, MEMBERS)
        assert total == 2
        assert [m["id"] for m in items] == world.alice.member_ids
        first = items[0]
        assert set(first) == {
            "id",
            "company_id",
            "name",
            "email",
            "image",
            "status",
            "create_time",
            "update_time",
        }
        assert first["company_id"] == str(world.alice.account_id)
        assert (first["name"], first["email"], first["status"]) == (
            "alice manager 0",
            "manager0@alice.example",
            "active",
        )
        assert HOOD_TIME.fullmatch(first["create_time"])

    async def test_query_language(self, world: World) -> None:
        _, items = await list_items(world, world.alice, MEMBERS, q="manager 1")
        assert [m["id"] for m in items] == world.alice.member_ids[1:]
        _, items = await list_items(world, world.alice, MEMBERS, sort="-name")
        assert [m["id"] for m in items] == world.alice.member_ids[::-1]
        _, items = await list_items(world, world.alice, MEMBERS, q="MANAGER1@", q_fields="email")
        assert [m["id"] for m in items] == world.alice.member_ids[1:]
        total, items = await list_items(world, world.alice, MEMBERS, fields="id,name", page="2,1")
        assert (total, items) == (2, [{"id": world.alice.member_ids[1], "name": "alice manager 1"}])
        total, _ = await list_items(world, world.alice, MEMBERS, status="suspended")
        assert total == 0

    async def test_bad_query_names_it(self, world: World) -> None:
        for params, needle in (
            ({"sort": "image"}, "image"),
            ({"colour": "x"}, "colour"),
            ({"status": "gone"}, "gone"),
            ({"page": "0"}, "page"),
        ):
            response = await world.client.get(MEMBERS, params=params, headers=world.alice.headers())
            assert_error(response, 400, needle)

    async def test_read_only_token_may_list(self, world: World) -> None:
        token = await world.token(world.alice, READ_ONLY)
        response = await world.client.get(MEMBERS, headers=world.alice.headers(token))
        assert response.status_code == 200, response.text


class TestGetMember:
    async def test_answers_the_envelope(self, world: World) -> None:
        member_id = world.alice.member_ids[1]
        total, [member] = await list_items(world, world.alice, f"{MEMBERS}/{member_id}")
        assert total == 1
        assert (member["id"], member["name"]) == (member_id, "alice manager 1")

    async def test_foreign_unknown_or_malformed_member_is_unknown(self, world: World) -> None:
        for member_id in (world.bob.member_ids[0], "999999999", "abc", "9" * 30):
            response = await world.client.get(
                f"{MEMBERS}/{member_id}", headers=world.alice.headers()
            )
            assert_error(response, 400, "Unknown member id.")
