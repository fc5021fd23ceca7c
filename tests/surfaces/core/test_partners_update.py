"""PATCH and PUT /core/v2/partners/{sid}: seed 003, nested objects, PUT rules, bad input."""

from __future__ import annotations

from typing import Any

from harness import World
from surfaces.core.kit import (
    ACL,
    CORE_TIME,
    DISPLAY_ID,
    PARTNER_KEYS,
    PARTNERS,
    UPDATABLE,
    assert_error,
    create,
    get,
    headers,
)

SEED_BODY = b'{"address1":"4300 E Pacific Coast Hwy"}'


class TestPatchPartner:
    async def test_seed_003_example_changes_only_address1(self, world: World) -> None:
        t = world.alice
        created = await create(world, t, payment_type="prepay")
        before = await get(world, t, created["partner_sid"])
        # The seed's curl: -H 'Content-Type: application/json' --data-binary '{...}'
        response = await world.client.patch(
            f"{PARTNERS}/{created['partner_sid']}", content=SEED_BODY, headers=headers(t)
        )
        assert response.status_code == 200, response.text
        assert response.text.startswith('{"acls":[],"address1":"4300 E Pacific Coast Hwy"')
        body = response.json()
        assert list(body) == PARTNER_KEYS  # every key, alphabetical
        assert {k: v for k, v in body.items() if k != "address1"} == {
            k: v for k, v in before.items() if k != "address1"
        }
        assert before["address1"] is None and body["address1"] == "4300 E Pacific Coast Hwy"
        assert CORE_TIME.fullmatch(body["date_created"])
        assert DISPLAY_ID.fullmatch(body["display_id"])
        for money in ("balance", "charge_at", "daily_spending_limit", "prepay_amount"):
            assert isinstance(body[money], str), money
        assert body["charge_at"] == "20" and body["prepay_amount"] == "100"
        assert response.headers["etag"] == '"2"'

    async def test_nested_objects_merge_by_default(self, world: World) -> None:
        t = world.alice
        sid = (
            await create(
                world,
                t,
                attributes={"tier": "gold", "region": "eu"},
                callbacks={"sms": "https://hooks.example/sms"},
            )
        )["partner_sid"]
        response = await world.client.patch(
            f"{PARTNERS}/{sid}",
            json={
                "attributes": {"tier": "silver", "region": None, "new": 1},
                "callbacks": {"app_mediator": "https://hooks.example/med"},
            },
            headers=headers(t),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["attributes"] == {"new": 1, "tier": "silver"}  # region removed by null
        assert body["callbacks"] == {
            "app_mediator": "https://hooks.example/med",
            "sms": "https://hooks.example/sms",
        }

    async def test_nested_objects_replace(self, world: World) -> None:
        t = world.alice
        sid = (
            await create(
                world,
                t,
                attributes={"tier": "gold", "region": "eu"},
                callbacks={"sms": "https://hooks.example/sms"},
            )
        )["partner_sid"]
        response = await world.client.patch(
            f"{PARTNERS}/{sid}?nested_objects=replace",
            json={"attributes": {"a": "b"}, "callbacks": {"app_mediator": "https://m.example/"}},
            headers=headers(t),
        )
        assert response.status_code == 200, response.text
        assert response.json()["attributes"] == {"a": "b"}
        assert response.json()["callbacks"] == {"app_mediator": "https://m.example/"}

    async def test_nested_objects_other_value_is_422(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        response = await world.client.patch(
            f"{PARTNERS}/{sid}?nested_objects=merge", json={"city": "X"}, headers=headers(t)
        )
        assert_error(response, 422, "nested_objects", message="object validation error")
        assert (await get(world, t, sid))["city"] is None

    async def test_arrays_are_replaced(self, world: World) -> None:
        t = world.alice
        sid = (
            await create(
                world, t, parent_assigned_acls=[ACL, {**ACL, "direction": "inbound"}],
                transformations=[{"action": "set", "operands": ["a"]}],
            )
        )["partner_sid"]  # fmt: skip
        response = await world.client.patch(
            f"{PARTNERS}/{sid}",
            json={"parent_assigned_acls": [{"direction": "any"}], "transformations": []},
            headers=headers(t),
        )
        assert response.status_code == 200, response.text
        assert response.json()["parent_assigned_acls"] == [
            {
                "access_control_rules": [],
                "direction": "any",
                "sms_action_false": None,
                "sms_action_true": None,
                "voice_action_false": None,
                "voice_action_true": None,
            }
        ]
        assert response.json()["transformations"] == []

    async def test_null_clears_a_nullable_field_and_absent_keeps_it(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t, city="Long Beach", address2="Suite 1"))["partner_sid"]
        response = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"city": None}, headers=headers(t)
        )
        assert response.status_code == 200
        assert response.json()["city"] is None and response.json()["address2"] == "Suite 1"

    async def test_bad_input_is_422_per_field_and_changes_nothing(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        before = await get(world, t, sid)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"address1": 5}, "address1"),
            ({"owner_email": "not-an-email"}, "owner_email"),
            ({"billing_email": "a@example.com,broken"}, "billing_email"),
            ({"callbacks": {"smss": "https://x.example"}}, "callbacks"),
            ({"callbacks": {"sms": "ftp://x.example"}}, "callbacks"),
            ({"acls": [{"direction": "sideways"}]}, "acls.0.direction"),
            ({"acls": [{"direction": "any", "access_control_rules": ["x"]}]},
             "acls.0.access_control_rules.0"),
            ({"acls": [{"direction": "any", "voice_action_true": "reject"}]},
             "acls.0.voice_action_true"),
            ({"unknown_field": 1}, "unknown_field"),
            ({"name": None}, "name"),
            ({"attributes": None}, "attributes"),
            ({"transformations": {"a": 1}}, "transformations"),
            ({"password": "newpassword1"}, "password"),
            ({"zip": "x" * 40}, "zip"),
        ]  # fmt: skip
        for body, field in cases:
            response = await world.client.patch(f"{PARTNERS}/{sid}", json=body, headers=headers(t))
            items = assert_error(response, 422, field, message="object validation error")
            assert any(field in i["message"] for i in items), items
        several = await world.client.patch(
            f"{PARTNERS}/{sid}",
            json={"owner_email": "bad", "tech_email": "bad", "city": 1},
            headers=headers(t),
        )
        assert len(assert_error(several, 422, "owner_email", "tech_email", "city")) == 3
        assert await get(world, t, sid) == before

    async def test_wrong_media_type_is_415_and_bad_json_400(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        before = await get(world, t, sid)
        no_type = await world.client.patch(
            f"{PARTNERS}/{sid}", content=SEED_BODY, headers=t.headers()
        )
        assert_error(no_type, 415, "Content-Type", message="Unsupported media type")
        bad = await world.client.patch(
            f"{PARTNERS}/{sid}", content=b'{"address1": ', headers=headers(t)
        )
        assert_error(bad, 400, None, message="No JSON object could be decoded")
        not_object = await world.client.patch(
            f"{PARTNERS}/{sid}", content=b"[1]", headers=headers(t)
        )
        assert_error(not_object, 400, message="No JSON object could be decoded")
        assert await get(world, t, sid) == before

    async def test_read_only_fields_echoed_equal_are_ignored_different_422(
        self, world: World
    ) -> None:
        t = world.alice
        created = await create(world, t)
        sid = created["partner_sid"]
        same = await world.client.patch(
            f"{PARTNERS}/{sid}",
            json={"balance": created["balance"], "charge_at": 20, "city": "LB"},
            headers=headers(t),
        )
        assert same.status_code == 200, same.text
        changed = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"balance": "1000", "city": "Other"}, headers=headers(t)
        )
        assert_error(changed, 422, "balance")
        assert (await get(world, t, sid))["city"] == "LB"

    async def test_if_match_mismatch_is_412(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        stale = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"city": "A"}, headers=headers(t, **{"If-Match": '"9"'})
        )
        assert_error(stale, 412, "If-Match")
        fresh = await world.client.patch(
            f"{PARTNERS}/{sid}", json={"city": "A"}, headers=headers(t, **{"If-Match": '"1"'})
        )
        assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'

    async def test_history_records_each_change(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        await world.client.patch(f"{PARTNERS}/{sid}", json={"city": "A"}, headers=headers(t))
        await world.client.patch(
            f"{PARTNERS}/{sid}", json={"attributes": {"k": "v"}}, headers=headers(t)
        )
        response = await world.client.get(f"{PARTNERS}/{sid}/history", headers=t.headers())
        assert response.status_code == 200
        body = response.json()
        assert list(body) == [
            "count", "has_more", "items", "limit", "offset", "pagination", "total"
        ]  # fmt: skip
        assert [e["action"] for e in body["items"]] == ["update", "update", "create"]
        assert body["items"][0]["changes"] == {"attributes": {"new": {"k": "v"}, "old": {}}}
        assert body["items"][1]["changes"] == {"city": {"new": "A", "old": None}}
        assert all(e["surface"] == "core" for e in body["items"])
        assert "password" not in response.text and "sample_password" not in response.text


def _put_body(current: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {k: current[k] for k in UPDATABLE}
    body.update(overrides)
    return body


class TestPutPartner:
    async def test_put_replaces_every_updatable_field(self, world: World) -> None:
        t = world.alice
        current = await create(world, t, attributes={"a": 1, "b": 2})
        body = _put_body(current, attributes={"c": 3}, city="Irvine")
        response = await world.client.put(
            f"{PARTNERS}/{current['partner_sid']}", json=body, headers=headers(t)
        )
        assert response.status_code == 200, response.text
        assert response.json()["attributes"] == {"c": 3}
        assert response.json()["city"] == "Irvine"

    async def test_put_missing_field_is_422_naming_it(self, world: World) -> None:
        t = world.alice
        current = await create(world, t)
        body = _put_body(current)
        del body["zip"], body["tech_email"]
        response = await world.client.put(
            f"{PARTNERS}/{current['partner_sid']}", json=body, headers=headers(t)
        )
        assert_error(response, 422, "zip", "tech_email")

    async def test_put_with_read_only_fields_equal_is_200(self, world: World) -> None:
        t = world.alice
        current = await create(world, t)
        body = {**current, "city": "Irvine"}  # the whole object, as GET answered it
        response = await world.client.put(
            f"{PARTNERS}/{current['partner_sid']}", json=body, headers=headers(t)
        )
        assert response.status_code == 200, response.text
        assert response.json() == {**current, "city": "Irvine"}

    async def test_put_changing_read_only_field_is_422(self, world: World) -> None:
        t = world.alice
        current = await create(world, t)
        for field, value in (
            ("display_id", "CX00000001"),
            ("login", "someone-else"),
            ("country_code", "CAN"),
        ):
            body = {**current, field: value, "city": "Irvine"}
            response = await world.client.put(
                f"{PARTNERS}/{current['partner_sid']}", json=body, headers=headers(t)
            )
            assert_error(response, 422, field)
        assert await get(world, t, current["partner_sid"]) == current
