"""PATCH /v1/hood/partners/{id}: absent vs null vs value, nested merges, refusals, If-Match."""

from __future__ import annotations

from typing import Any

from harness import World
from surfaces.hood.kit import (
    EMPTY_PATCH,
    PARTNERS,
    UNKNOWN_PARTNER,
    assert_error,
    create_partner,
    get_partner,
    history,
    json_headers,
    partner_body,
)


async def patch(world: World, partner_id: str, body: Any, **headers: str) -> Any:
    return await world.client.patch(
        f"{PARTNERS}/{partner_id}", json=body, headers=world.alice.headers(**headers)
    )


class TestPatchPartner:
    async def test_answers_204_with_a_new_etag_and_leaves_absent_fields(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"name": "Renamed"})
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert response.headers["etag"] == '"2"'
        got = await world.client.get(f"{PARTNERS}/{created['id']}", headers=world.alice.headers())
        assert got.headers["etag"] == '"2"'
        item = got.json()["items"][0]
        assert item["name"] == "Renamed"
        assert item["update_time"] >= created["update_time"]
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"status": "pending"})).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        unchanged = {k: v for k, v in created.items() if k not in ("status", "update_time")}
        assert {k: got[k] for k in unchanged} == unchanged
        assert got["status"] == "pending"

    async def test_patch_null_clears_description(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"description": None})).status_code == 204
        assert (await get_partner(world, world.alice, created["id"]))["description"] is None

    async def test_patch_null_on_required_field_refused(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for field in ("name", "status", "manager_ids"):
            assert_error(await patch(world, created["id"], {field: None}), 400, field)
        assert await get_partner(world, world.alice, created["id"]) == created

    async def test_patch_value_sets_every_updatable_field(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        changes = {
            "name": "New name",
            "description": "New description",
            "status": "suspended",
            "manager_ids": world.alice.member_ids[::-1],
        }
        assert (await patch(world, created["id"], changes)).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        assert {k: got[k] for k in changes} == changes
        assert [m["id"] for m in got["managers"]] == world.alice.member_ids[::-1]

    async def test_invalid_value_or_foreign_manager_changes_nothing(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"name": "Fine", "status": "gone"})
        assert_error(response, 400, "status")
        assert await get_partner(world, world.alice, created["id"]) == created
        assert len(await history(world, world.alice, created["id"])) == 1
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"manager_ids": [world.bob.member_ids[0]]})
        assert_error(response, 400, "manager_ids")
        assert (await get_partner(world, world.alice, created["id"]))["manager_ids"] == created[
            "manager_ids"
        ]

    async def test_same_values_change_nothing(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"name": created["name"]})
        assert response.status_code == 204, response.text
        assert response.headers["etag"] == '"1"'
        assert len(await history(world, world.alice, created["id"])) == 1


class TestPatchPartnerNestedObjects:
    async def test_nested_field_merges_and_null_clears_the_object(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"payment_terms": {"net_terms": "net60"}})
        assert response.status_code == 204, response.text
        got = await get_partner(world, world.alice, created["id"])
        assert got["payment_terms"] == {**created["payment_terms"], "net_terms": "net60"}
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"payment_terms": None})).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        assert got["payment_terms"] is None
        assert got["billing_address"] == created["billing_address"]

    async def test_merged_result_must_be_complete(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"payment_terms": {"net_terms": None}})
        error = assert_error(response, 400, "payment_terms.net_terms")
        assert "payment_terms.currency_code" not in error["message"]
        assert await get_partner(world, world.alice, created["id"]) == created
        created = await create_partner(world, world.alice, billing_address=None)
        response = await patch(world, created["id"], {"billing_address": {"city": "Toronto"}})
        assert_error(
            response,
            400,
            "billing_address.street",
            "billing_address.post_code",
            "billing_address.country",
        )
        assert (await get_partner(world, world.alice, created["id"]))["billing_address"] is None

    async def test_complete_object_postal_code_and_country_case(self, world: World) -> None:
        created = await create_partner(world, world.alice, payment_terms=None)
        terms = partner_body(world.alice)["payment_terms"]
        assert (await patch(world, created["id"], {"payment_terms": terms})).status_code == 204
        assert (await get_partner(world, world.alice, created["id"]))["payment_terms"] == terms
        created = await create_partner(world, world.alice)
        changes = {"billing_address": {"postal_code": "M4B 2J8", "country": "ca"}}
        assert (await patch(world, created["id"], changes)).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        assert got["billing_address"] == {
            **created["billing_address"],
            "post_code": "M4B 2J8",
            "country": "CA",
        }

    async def test_invalid_nested_value_names_the_field(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for body, field in (
            ({"billing_address": {"country": "Serbia"}}, "billing_address.country"),
            ({"payment_terms": {"currency_code": "rsd"}}, "payment_terms.currency_code"),
            ({"payment_terms": "monthly"}, "payment_terms"),
        ):
            assert_error(await patch(world, created["id"], body), 400, field)
        assert await get_partner(world, world.alice, created["id"]) == created


class TestPatchPartnerLegacyContact:
    async def test_contact_sets_replaces_and_null_removes_per_type(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        body = {"contact": {"email": "new@example.com", "mobile": "+381 60 111 222"}}
        assert (await patch(world, created["id"], body)).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        assert got["contact"] == {"mobile": "+381 60 111 222", "email": "new@example.com"}
        assert len(got["contacts"]) == 2
        assert got["contacts"][0]["id"] == created["contacts"][0]["id"]
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"contact": {"mobile": None}})).status_code == 204
        got = await get_partner(world, world.alice, created["id"])
        assert got["contact"] == {}
        assert got["contacts"] == []

    async def test_invalid_contact_value_changes_nothing(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        response = await patch(
            world, created["id"], {"name": "X", "contact": {"website": "no such host"}}
        )
        assert_error(response, 400, "contact.website")
        assert await get_partner(world, world.alice, created["id"]) == created


class TestPatchPartnerRefusals:
    async def test_no_updatable_field_refused(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for body in ({}, {"colour": "blue"}, {"id": "5", "company_id": "7"}, {"contact": {}}):
            assert_error(await patch(world, created["id"], body), 400, EMPTY_PATCH)
        assert len(await history(world, world.alice, created["id"])) == 1
        created = await create_partner(world, world.alice)
        response = await world.client.patch(
            f"{PARTNERS}/{created['id']}", content=b'"{}"', headers=json_headers(world.alice)
        )
        assert_error(response, 400, EMPTY_PATCH)

    async def test_create_only_and_archive_fields_refused(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        refused: list[tuple[dict[str, Any], str]] = [
            ({"type": ["advertiser"]}, "type"),
            ({"type": ["publisher"], "name": "X"}, "type"),
            ({"archived": 1}, "archived"),
        ]
        for body, field in refused:
            assert_error(await patch(world, created["id"], body), 400, field)
        assert await get_partner(world, world.alice, created["id"]) == created

    async def test_unknown_or_malformed_id_is_unknown_partner(self, world: World) -> None:
        await create_partner(world, world.alice)
        for partner_id in ("999999999", "999999999999999999", "9223372036854775808"):
            assert_error(await patch(world, partner_id, {"name": "X"}), 400, UNKNOWN_PARTNER)
        for partner_id in ("abc", "1" * 30, "-1", "1.0", "0x10", "１２３", "0"):
            assert_error(await patch(world, partner_id, {"name": "X"}), 400, UNKNOWN_PARTNER)
        # A NUL is refused for every path before any route runs (PostgreSQL text holds none).
        nul = await patch(world, "%00", {"name": "X"})
        assert_error(nul, 400, "The path must not contain NUL bytes.")
        response = await patch(world, "999999999", {"name": "v2"}, **{"If-Match": '"1"'})
        assert_error(response, 400, UNKNOWN_PARTNER)

    async def test_foreign_account_is_unknown(self, world: World) -> None:
        theirs = await create_partner(world, world.bob)
        response = await patch(world, theirs["id"], {"name": "Stolen"})
        assert_error(response, 400, UNKNOWN_PARTNER)
        assert await get_partner(world, world.bob, theirs["id"]) == theirs


class TestPatchPartnerIfMatch:
    async def test_stale_or_garbage_if_match_is_412_and_changes_nothing(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"name": "v2"})).status_code == 204
        response = await patch(world, created["id"], {"name": "v3"}, **{"If-Match": '"1"'})
        assert_error(response, 412, "If-Match")
        assert (await get_partner(world, world.alice, created["id"]))["name"] == "v2"
        assert len(await history(world, world.alice, created["id"])) == 2
        created = await create_partner(world, world.alice)
        response = await patch(world, created["id"], {"name": "v2"}, **{"If-Match": "1"})
        assert_error(response, 412)

    async def test_matching_if_match_is_204(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        for version, if_match in enumerate(('"1"', 'W/"2"', "*", '"7", "4"'), start=1):
            response = await patch(
                world, created["id"], {"name": f"v{version + 1}"}, **{"If-Match": if_match}
            )
            assert response.status_code == 204, (if_match, response.text)
            assert response.headers["etag"] == f'"{version + 1}"'
        assert (await get_partner(world, world.alice, created["id"]))["name"] == "v5"


class TestPatchPartnerHistory:
    async def test_changes_are_recorded_with_old_and_new_values(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        assert (await patch(world, created["id"], {"status": "terminated"})).status_code == 204
        latest = (await history(world, world.alice, created["id"]))[0]
        assert latest["action"] == "update"
        assert latest["version"] == 2
        assert latest["changes"] == {"status": {"old": "active", "new": "terminated"}}
        created = await create_partner(world, world.alice)
        body = {"payment_terms": {"currency_code": "eur"}}
        assert (await patch(world, created["id"], body)).status_code == 204
        latest = (await history(world, world.alice, created["id"]))[0]
        assert latest["changes"] == {
            "payment_terms": {
                "old": created["payment_terms"],
                "new": {**created["payment_terms"], "currency_code": "eur"},
            }
        }
