"""Hood deals (reference §5.1, §5.4) through the HTTP API, on both databases: create with every
field and every bound, get, list language, PATCH (absent vs null vs value, refused fields,
archived deals), archive, history, effective status, scopes, isolation and If-Match."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from harness import Tenant, World
from partnerhub.domain.accounts import Actor
from partnerhub.domain.clock import utcnow
from partnerhub.domain.hood_deals import UPDATABLE
from partnerhub.domain.objects import Kind
from partnerhub.services import change
from partnerhub.storage.tables import hood_campaigns, hood_deals
from surfaces.hood.kit import (
    BODY_NOT_VALID,
    EMPTY_PATCH,
    HOOD_TIME,
    PARTNERS,
    assert_error,
    create_partner,
    json_headers,
)

DEALS = "/v1/hood/deals"
UNKNOWN_DEAL = "Unknown deal id."
UNKNOWN_PARTNER = "Unknown partner id."
ARCHIVED = "Archived deals can not be updated."
POSTBACK = "https://track.example.com/pb?click={OCMH_CLICK_ID}&payout={OCMH_PAYOUT}"
FULL: dict[str, Any] = {
    "name": "Summer CPA",
    "description": "Installs from the summer campaign",
    "type": "dsp",
    "structure": "cpa",
    "status": "active",
    "postback": POSTBACK,
    "frequency_cap": {"max_value": 12, "per_unit": "day"},
    "clickthrough": True,
    "time_window": 3600,
    "base_price": 1.25,
    "base_price_priority": True,
    "country_price": {"us": 2.5, "DE": 10000},
    "device_price": {"desktop": 0, "mobile": 55.5},
    "event_price": {"install": 0.1, "purchase": 12.3456},
    "budget": 5000.5,
    "total_spend_cap": 1000000,
    "unique_conversion": True,
    "performance_conditions": {"min_ctr": 0.5, "rules": [{"metric": "cr", "gte": 2}]},
}


def deal_body(partner_id: object, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Deal",
        "partner_id": partner_id,
        "base_price": 1.5,
        "clickthrough": False,
    }
    body.update(overrides)
    return body


async def new_partner(world: World, tenant: Tenant | None = None, **overrides: Any) -> str:
    partner = await create_partner(world, tenant or world.alice, **overrides)
    partner_id: str = partner["id"]
    return partner_id


async def post(world: World, body: Any, tenant: Tenant | None = None) -> Any:
    return await world.client.post(DEALS, json=body, headers=json_headers(tenant or world.alice))


async def create(world: World, partner_id: str, /, **overrides: Any) -> dict[str, Any]:
    response = await post(world, deal_body(partner_id, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def get(world: World, deal_id: str) -> dict[str, Any]:
    response = await world.client.get(f"{DEALS}/{deal_id}", headers=world.alice.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1
    item: dict[str, Any] = body["items"][0]
    return item


async def patch(world: World, deal_id: str, body: Any, **headers: str) -> Any:
    return await world.client.patch(
        f"{DEALS}/{deal_id}", json=body, headers=json_headers(world.alice, **headers)
    )


async def archive(world: World, deal_id: str, **headers: str) -> Any:
    return await world.client.post(
        f"{DEALS}/{deal_id}/archive", headers=world.alice.headers(**headers)
    )


async def history(world: World, deal_id: str) -> list[dict[str, Any]]:
    response = await world.client.get(f"{DEALS}/{deal_id}/history", headers=world.alice.headers())
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def listed(world: World, **params: str) -> list[str]:
    response = await world.client.get(DEALS, params=params, headers=world.alice.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [d["name"] for d in body["items"]]


async def add_campaign(world: World, deal: dict[str, Any], status: str) -> int:
    """A campaign row of the deal, written through the change operation (set-up only)."""
    actor = Actor(account_id=world.alice.account_id, token_id=None, scopes=frozenset())
    now = utcnow()
    async with world.runtime.db.transaction(write=True) as uow:
        key = await change.create(
            uow,
            actor,
            Kind.HOOD_CAMPAIGN,
            {
                "deal_id": int(deal["id"]),
                "name": f"{status} campaign",
                "labels": [],
                "messages": [],
                "status": status,
                "effective_status": status,
                "send_strategy": "manual",
                "create_time": now,
                "update_time": now,
            },
            changes={"status": {"old": None, "new": status}},
        )
    return int(key)


async def campaign(world: World, campaign_id: int) -> Any:
    async with world.runtime.db.transaction() as uow:
        query = select(hood_campaigns).where(hood_campaigns.c.id == campaign_id)
        return (await uow.conn.execute(query)).one()


class TestCreate:
    async def test_minimal_body_gets_the_defaults(self, world: World) -> None:
        partner_id = await new_partner(world)
        response = await post(world, deal_body(partner_id))
        assert response.status_code == 201, response.text
        deal = response.json()
        assert deal["id"].isdigit()
        assert response.headers["etag"] == '"1"'
        assert response.headers["location"] == f"{DEALS}/{deal['id']}"
        assert deal == {
            "id": deal["id"],
            "company_id": str(world.alice.account_id),
            "partner_id": partner_id,
            "name": "Deal",
            "description": None,
            "type": None,
            "structure": None,
            "status": "active",
            "effective_status": "active",
            "postback": None,
            "frequency_cap": None,
            "clickthrough": False,
            "time_window": None,
            "base_price": 1.5,
            "base_price_priority": False,
            "country_price": {},
            "device_price": {},
            "event_price": {},
            "budget": None,
            "total_spend_cap": None,
            "unique_conversion": False,
            "performance_conditions": None,
            "system": 0,
            "is_default": 0,
            "archived": 0,
            "create_time": deal["create_time"],
            "update_time": deal["create_time"],
        }
        assert HOOD_TIME.fullmatch(deal["create_time"])
        assert await get(world, deal["id"]) == deal

    async def test_every_field_round_trips(self, world: World) -> None:
        partner_id = await new_partner(world)
        deal = await create(world, partner_id, **FULL)
        expected = {
            **FULL,
            "country_price": {"DE": 10000, "US": 2.5},
            "partner_id": partner_id,
            "effective_status": "active",
        }
        assert {k: deal[k] for k in expected} == expected
        assert isinstance(deal["total_spend_cap"], int)
        assert await get(world, deal["id"]) == deal

    async def test_money_is_stored_as_canonical_decimal_strings(self, world: World) -> None:
        deal = await create(world, await new_partner(world), **FULL)
        async with world.runtime.db.transaction() as uow:
            row = (
                await uow.conn.execute(select(hood_deals).where(hood_deals.c.id == int(deal["id"])))
            ).one()
        assert (row.base_price, row.budget, row.total_spend_cap) == ("1.25", "5000.5", "1000000")
        assert row.country_price == {"DE": "10000", "US": "2.5"}
        assert row.event_price == {"install": "0.1", "purchase": "12.3456"}

    async def test_partner_id_may_be_a_number(self, world: World) -> None:
        partner_id = await new_partner(world)
        deal = await create(world, partner_id, partner_id=int(partner_id))
        assert deal["partner_id"] == partner_id

    async def test_unknown_fields_are_ignored(self, world: World) -> None:
        deal = await create(world, await new_partner(world), colour="blue", account_id="7")
        assert "colour" not in deal and "account_id" not in deal

    async def test_a_deal_of_an_inactive_partner_is_effectively_inactive(
        self, world: World
    ) -> None:
        partner_id = await new_partner(world, status="inactive")
        deal = await create(world, partner_id)
        assert (deal["status"], deal["effective_status"]) == ("active", "inactive")
        inactive = await create(world, await new_partner(world), status="inactive")
        assert inactive["effective_status"] == "inactive"

    async def test_the_create_history_holds_the_fields_given(self, world: World) -> None:
        partner_id = await new_partner(world)
        deal = await create(world, partner_id, **FULL)
        (entry,) = await history(world, deal["id"])
        assert (entry["version"], entry["action"]) == (1, "create")
        assert entry["changes"]["base_price"] == {"old": None, "new": 1.25}
        assert entry["changes"]["partner_id"] == {"old": None, "new": partner_id}
        assert entry["changes"]["country_price"]["new"] == {"DE": 10000, "US": 2.5}
        assert entry["changes"]["effective_status"] == {"old": None, "new": "active"}

    @pytest.mark.parametrize("missing", ["name", "partner_id", "base_price", "clickthrough"])
    async def test_a_required_field_missing(self, world: World, missing: str) -> None:
        body = deal_body(await new_partner(world))
        del body[missing]
        assert_error(await post(world, body), 400, missing, "required")
        assert await listed(world) == []

    async def test_unknown_partner(self, world: World) -> None:
        for partner_id in ("999999999", 999999999):
            response = await post(world, deal_body(partner_id))
            assert_error(response, 400, UNKNOWN_PARTNER, "partner_id")
        assert await listed(world) == []

    async def test_another_accounts_partner_is_unknown(self, world: World) -> None:
        bobs = await new_partner(world, world.bob, manager_ids=[world.bob.member_ids[0]])
        assert_error(await post(world, deal_body(bobs)), 400, UNKNOWN_PARTNER, "partner_id")
        assert await listed(world) == []

    async def test_an_archived_partner_is_refused(self, world: World) -> None:
        partner_id = await new_partner(world)
        answer = await world.client.post(
            f"{PARTNERS}/{partner_id}/archive", headers=world.alice.headers()
        )
        assert answer.status_code == 204, answer.text
        assert_error(await post(world, deal_body(partner_id)), 400, "partner_id", "archived")

    @pytest.mark.parametrize(
        "raw",
        [
            b'{"name": "x", "partner_id": "%s", "base_price": NaN, "clickthrough": true}',
            b'{"name": "x", "partner_id": "%s", "base_price": Infinity, "clickthrough": true}',
            b'{"name": "x", "partner_id": "%s", "base_price": 1e400, "clickthrough": true}',
        ],
    )
    async def test_nan_and_infinity_are_not_json(self, world: World, raw: bytes) -> None:
        partner_id = await new_partner(world)
        response = await world.client.post(
            DEALS, content=raw % partner_id.encode(), headers=json_headers(world.alice)
        )
        assert_error(response, 400, BODY_NOT_VALID)
        assert await listed(world) == []

    async def test_idempotency_key_replays_the_first_answer(self, world: World) -> None:
        body = deal_body(await new_partner(world))
        headers = json_headers(world.alice, **{"Idempotency-Key": "deal-1"})
        first = await world.client.post(DEALS, json=body, headers=headers)
        again = await world.client.post(DEALS, json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 201), again.text
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert await listed(world) == ["Deal"]

    async def test_a_body_sent_as_a_json_string_is_accepted(self, world: World) -> None:
        partner_id = await new_partner(world)
        inner = f'{{"name": "Str", "partner_id": "{partner_id}", "base_price": 2, '
        inner += '"clickthrough": true}'
        response = await world.client.post(DEALS, json=inner, headers=json_headers(world.alice))
        assert response.status_code == 201, response.text
        assert response.json()["base_price"] == 2


# Every bound, just inside and just outside, wrong types, booleans where numbers go, Unicode
# digits: (value sent, value answered) for accepted values, the value alone for refused ones.
BOUNDS: dict[str, tuple[list[tuple[Any, Any]], list[Any]]] = {
    "name": (
        [("x" * 100, "x" * 100), ("é", "é")],
        ["", "   ", "x" * 101, 5, True, None, ["x"], "a\x00b"],
    ),
    "partner_id": (
        [],
        ["²", "١٢٣", "12a", "", " 1", 1.5, True, -1, 0.0, None, {"id": "1"}, "9" * 19],
    ),
    "description": (
        [("", ""), ("d" * 2000, "d" * 2000), (None, None)],
        ["d" * 2001, 3, False],
    ),
    "base_price": (
        [(0.01, 0.01), (10000, 10000), (10000.0, 10000), (1e-2, 0.01), (0.0123, 0.0123)],
        [0, 0.0099, 10000.01, -1, 0.00999, 1.00001, "1.5", True, None, [1], 1e300],
    ),
    "clickthrough": ([(True, True), (False, False)], [1, 0, "true", None]),
    "type": ([("dsp", "dsp"), ("ssp", "ssp"), (None, None)], ["DSP", "xyz", 1]),
    "structure": ([("cpi", "cpi"), ("revshare", "revshare")], ["foo", "CPA", 2]),
    "status": ([("inactive", "inactive")], ["paused", "Active", None, 1]),
    "postback": (
        [
            (POSTBACK, POSTBACK),
            ("http://x.example/p", "http://x.example/p"),
            ("https://e.com/" + "a" * 2034, "https://e.com/" + "a" * 2034),
        ],
        [
            "https://e.com/" + "a" * 2035,
            "ftp://e.com/p",
            "not a url",
            "https://e.com/{bad placeholder}",
            "https://e.com/{",
            "",
            7,
        ],
    ),
    "frequency_cap": (
        [
            ({"max_value": 1, "per_unit": "hour"}, {"max_value": 1, "per_unit": "hour"}),
            (
                {"max_value": 1000000, "per_unit": "campaign"},
                {"max_value": 1000000, "per_unit": "campaign"},
            ),
        ],
        [
            {"max_value": 0, "per_unit": "day"},
            {"max_value": 1000001, "per_unit": "day"},
            {"max_value": True, "per_unit": "day"},
            {"max_value": 1.5, "per_unit": "day"},
            {"max_value": 2.0, "per_unit": "day"},
            {"max_value": "5", "per_unit": "day"},
            {"max_value": 5, "per_unit": "year"},
            {"max_value": 5},
            {"per_unit": "day"},
            "daily",
        ],
    ),
    "time_window": (
        [(0, 0), (31536000, 31536000)],
        [-1, 31536001, 3600.0, True, "3600", "٣٦٠٠"],
    ),
    "base_price_priority": ([(True, True)], [1, "yes", None]),
    "unique_conversion": ([(True, True)], [0, "no", None]),
    "country_price": (
        [
            ({"us": 0.1}, {"US": 0.1}),
            ({"Gb": 10000, "rs": 5}, {"GB": 10000, "RS": 5}),
            ({}, {}),
        ],
        [
            {"US": 0.09},
            {"US": 10000.01},
            {"US": 0},
            {"XX": 1},
            {"USA": 1},
            {"us": 1, "US": 2},
            {"US": "1"},
            {"US": True},
            {"US": None},
            {"US": 1.00001},
            [1],
        ],
    ),
    "device_price": (
        [({"desktop": 0, "mobile": 100}, {"desktop": 0, "mobile": 100})],
        [{"mobile": 100.01}, {"mobile": -0.01}, {"tablet": 1}, {"desktop": 1.005}, {"mobile": "5"}],
    ),
    "event_price": (
        [({"e" * 32: 0.1}, {"e" * 32: 0.1})],
        [{"e" * 33: 1}, {"": 1}, {"install": 0.05}, {"install": 10001}, {"install": False}],
    ),
    "budget": (
        [(0, 0), (1000000, 1000000), (0.01, 0.01), (None, None)],
        [1000000.01, -0.01, 1.234, "5", True, float("-0.001")],
    ),
    "total_spend_cap": ([(0, 0), (1000000, 1000000)], [1000001, -1, 0.001, "0"]),
    "performance_conditions": (
        [({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}), (None, None)],
        ["text", [1], 5, {"x": "y" * 10000}],
    ),
}


class TestBounds:
    @pytest.mark.parametrize("field", sorted(BOUNDS))
    async def test_each_bound_on_create(self, world: World, field: str) -> None:
        partner_id = await new_partner(world)
        accepted, refused = BOUNDS[field]
        for sent, answered in accepted:
            response = await post(world, deal_body(partner_id, **{field: sent}))
            assert response.status_code == 201, (field, sent, response.text)
            assert response.json()[field] == answered, (field, sent)
        for sent in refused:
            response = await post(world, deal_body(partner_id, **{field: sent}))
            body = assert_error(response, 400, field)
            assert body["message"] != UNKNOWN_PARTNER, (field, sent)
        assert len(await listed(world)) == len(accepted)

    @pytest.mark.parametrize("field", sorted(set(BOUNDS) & set(UPDATABLE)))
    async def test_each_refused_value_on_patch_changes_nothing(
        self, world: World, field: str
    ) -> None:
        deal = await create(world, await new_partner(world))
        for sent in BOUNDS[field][1]:
            if sent is None:
                continue  # null is the absent/null/value tests' business
            if field == "country_price" and sent == {"US": None}:
                continue  # in a PATCH a null price removes that key
            assert_error(await patch(world, deal["id"], {field: sent}), 400, field)
        assert await get(world, deal["id"]) == deal
        assert len(await history(world, deal["id"])) == 1


class TestGet:
    async def test_fields_selects_and_orders(self, world: World) -> None:
        deal = await create(world, await new_partner(world), **FULL)
        response = await world.client.get(
            f"{DEALS}/{deal['id']}",
            params={"fields": "base_price,name,partner_id"},
            headers=world.alice.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"1"'
        (item,) = response.json()["items"]
        assert list(item) == ["base_price", "name", "partner_id"]
        assert item["base_price"] == 1.25

    async def test_unknown_field_in_fields(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        response = await world.client.get(
            f"{DEALS}/{deal['id']}", params={"fields": "secret"}, headers=world.alice.headers()
        )
        assert_error(response, 400, "secret")

    @pytest.mark.parametrize("deal_id", ["999999999", "abc", "²", "1" * 30, "-1"])
    async def test_unknown_or_malformed_id(self, world: World, deal_id: str) -> None:
        response = await world.client.get(f"{DEALS}/{deal_id}", headers=world.alice.headers())
        assert_error(response, 400, UNKNOWN_DEAL)


class TestList:
    async def test_filters_sort_and_search(self, world: World) -> None:
        first = await new_partner(world)
        second = await new_partner(world, status="inactive")
        await create(world, first, name="Alpha", type="dsp", structure="cpa")
        await create(
            world, first, name="Beta", type="ssp", status="inactive", description="holiday"
        )
        gamma = await create(world, second, name="Gamma", structure="cpi")
        for params, names in (
            ({}, ["Alpha", "Beta", "Gamma"]),
            ({"partner_id": first}, ["Alpha", "Beta"]),
            ({"partner_id": f"in:{first},{second}"}, ["Alpha", "Beta", "Gamma"]),
            ({"type": "dsp"}, ["Alpha"]),
            ({"type": "isn:"}, ["Gamma"]),
            ({"structure": "in:cpa,cpi"}, ["Alpha", "Gamma"]),
            ({"status": "inactive"}, ["Beta"]),
            ({"effective_status": "inactive"}, ["Beta", "Gamma"]),
            ({"effective_status": "active"}, ["Alpha"]),
            ({"name": "Gamma"}, ["Gamma"]),
            ({"id": gamma["id"]}, ["Gamma"]),
            ({"q": "alp"}, ["Alpha"]),
            ({"q": "holi", "q_fields": "description"}, ["Beta"]),
            ({"q": "holi"}, []),
            ({"sort": "-name"}, ["Gamma", "Beta", "Alpha"]),
            ({"sort": "status,-id"}, ["Gamma", "Alpha", "Beta"]),
            ({"sort": "-create_time,-id"}, ["Gamma", "Beta", "Alpha"]),
        ):
            assert await listed(world, **params) == names, params
        page = await world.client.get(DEALS, params={"page": "2,2"}, headers=world.alice.headers())
        assert page.json()["total"] == 3
        assert [d["name"] for d in page.json()["items"]] == ["Gamma"]

    async def test_archived_deals_only_with_the_archived_filter(self, world: World) -> None:
        partner_id = await new_partner(world)
        await create(world, partner_id, name="Kept")
        gone = await create(world, partner_id, name="Gone")
        assert (await archive(world, gone["id"])).status_code == 204
        assert await listed(world) == ["Kept"]
        assert await listed(world, archived="1") == ["Gone"]
        assert await listed(world, archived="in:0,1") == ["Kept", "Gone"]

    async def test_fields_on_the_list(self, world: World) -> None:
        await create(world, await new_partner(world), **FULL)
        response = await world.client.get(
            DEALS, params={"fields": "id,country_price"}, headers=world.alice.headers()
        )
        (item,) = response.json()["items"]
        assert item == {"id": item["id"], "country_price": {"DE": 10000, "US": 2.5}}

    @pytest.mark.parametrize(
        "params",
        [
            {"budget": "5"},
            {"status": "paused"},
            {"structure": "cpx"},
            {"sort": "budget"},
            {"q": "x", "q_fields": "postback"},
            {"create_time": "2024-01-01"},
        ],
    )
    async def test_unsupported_query(self, world: World, params: dict[str, str]) -> None:
        response = await world.client.get(DEALS, params=params, headers=world.alice.headers())
        assert_error(response, 400)


class TestPatch:
    async def test_value_sets_every_updatable_field(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        changes = {k: v for k, v in FULL.items() if k not in ("type", "structure", "postback")}
        del changes["total_spend_cap"]
        response = await patch(world, deal["id"], changes)
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert response.headers["etag"] == '"2"'
        got = await get(world, deal["id"])
        expected = {**changes, "country_price": {"DE": 10000, "US": 2.5}}
        assert {k: got[k] for k in expected} == expected
        (entry, _) = await history(world, deal["id"])
        assert entry["version"] == 2
        assert set(entry["changes"]) == set(changes) - {"status"}  # status was active already

    async def test_absent_null_and_value_are_kept_apart(self, world: World) -> None:
        deal = await create(
            world,
            await new_partner(world),
            description="kept",
            budget=10,
            time_window=60,
            frequency_cap={"max_value": 3, "per_unit": "week"},
            performance_conditions={"a": 1},
        )
        nullable = ("description", "budget", "time_window", "frequency_cap")
        # Absent: another field changes, these stay.
        assert (await patch(world, deal["id"], {"name": "Renamed"})).status_code == 204
        got = await get(world, deal["id"])
        assert got["name"] == "Renamed"
        assert {k: got[k] for k in nullable} == {k: deal[k] for k in nullable}
        # Value: set.
        values = {"description": "new", "budget": 0, "time_window": 0}
        assert (await patch(world, deal["id"], values)).status_code == 204
        got = await get(world, deal["id"])
        assert {k: got[k] for k in values} == values
        # Null: cleared.
        cleared = {k: None for k in (*nullable, "performance_conditions")}
        assert (await patch(world, deal["id"], cleared)).status_code == 204
        got = await get(world, deal["id"])
        assert {k: got[k] for k in cleared} == cleared
        assert [e["version"] for e in await history(world, deal["id"])] == [4, 3, 2, 1]

    @pytest.mark.parametrize(
        "field",
        [
            "name",
            "status",
            "clickthrough",
            "base_price",
            "base_price_priority",
            "unique_conversion",
        ],
    )
    async def test_null_on_a_required_field(self, world: World, field: str) -> None:
        deal = await create(world, await new_partner(world))
        assert_error(await patch(world, deal["id"], {field: None}), 400, field, "null")
        assert await get(world, deal["id"]) == deal

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("partner_id", "1000000"),
            ("type", "ssp"),
            ("structure", "cpi"),
            ("postback", POSTBACK),
            ("total_spend_cap", 5),
            ("archived", 1),
            ("effective_status", "inactive"),
            ("system", 1),
            ("is_default", 1),
        ],
    )
    async def test_a_field_that_cannot_be_changed(
        self, world: World, field: str, value: Any
    ) -> None:
        deal = await create(world, await new_partner(world))
        response = await patch(world, deal["id"], {"name": "x", field: value})
        assert_error(response, 400, field)
        assert await get(world, deal["id"]) == deal

    @pytest.mark.parametrize("body", [{}, {"colour": "blue"}, {"id": "5", "create_time": "x"}])
    async def test_no_updatable_field(self, world: World, body: dict[str, Any]) -> None:
        deal = await create(world, await new_partner(world))
        assert_error(await patch(world, deal["id"], body), 400, EMPTY_PATCH)

    async def test_the_same_values_change_nothing(self, world: World) -> None:
        deal = await create(world, await new_partner(world), country_price={"US": 1})
        response = await patch(
            world, deal["id"], {"name": "Deal", "base_price": 1.50, "country_price": {"us": 1}}
        )
        assert response.status_code == 204, response.text
        assert response.headers["etag"] == '"1"'
        assert len(await history(world, deal["id"])) == 1

    async def test_price_maps_merge_key_by_key(self, world: World) -> None:
        deal = await create(
            world,
            await new_partner(world),
            country_price={"US": 1, "DE": 2},
            event_price={"install": 1},
        )
        body = {"country_price": {"us": 3, "DE": None, "fr": 4}, "event_price": None}
        assert (await patch(world, deal["id"], body)).status_code == 204
        got = await get(world, deal["id"])
        assert got["country_price"] == {"FR": 4, "US": 3}
        assert got["event_price"] == {}
        (entry, _) = await history(world, deal["id"])
        assert entry["changes"]["country_price"] == {
            "old": {"DE": 2, "US": 1},
            "new": {"FR": 4, "US": 3},
        }

    async def test_status_moves_the_effective_status_in_the_same_change(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        assert (await patch(world, deal["id"], {"status": "inactive"})).status_code == 204
        got = await get(world, deal["id"])
        assert (got["status"], got["effective_status"]) == ("inactive", "inactive")
        (entry, _) = await history(world, deal["id"])
        assert entry["changes"] == {
            "status": {"old": "active", "new": "inactive"},
            "effective_status": {"old": "active", "new": "inactive"},
        }
        assert (await patch(world, deal["id"], {"status": "active"})).status_code == 204
        assert (await get(world, deal["id"]))["effective_status"] == "active"

    async def test_under_an_inactive_partner_only_the_status_moves(self, world: World) -> None:
        deal = await create(world, await new_partner(world, status="inactive"))
        assert (await patch(world, deal["id"], {"status": "inactive"})).status_code == 204
        (entry, _) = await history(world, deal["id"])
        assert entry["changes"] == {"status": {"old": "active", "new": "inactive"}}
        got = await get(world, deal["id"])
        assert (got["status"], got["effective_status"]) == ("inactive", "inactive")

    async def test_the_deals_campaigns_follow_its_effective_status(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        campaign_id = await add_campaign(world, deal, "scheduled")
        assert (await patch(world, deal["id"], {"status": "inactive"})).status_code == 204
        row = await campaign(world, campaign_id)
        assert (row.status, row.effective_status, row.version) == ("scheduled", "inactive", 2)
        assert (await patch(world, deal["id"], {"status": "active"})).status_code == 204
        assert (await campaign(world, campaign_id)).effective_status == "scheduled"

    async def test_an_archived_deal_cannot_be_updated(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        assert (await archive(world, deal["id"])).status_code == 204
        assert_error(await patch(world, deal["id"], {"name": "x"}), 400, ARCHIVED)
        assert (await get(world, deal["id"]))["name"] == "Deal"

    async def test_concurrent_patches_of_different_fields_all_survive(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        bodies: list[dict[str, Any]] = [
            {"name": "Renamed"},
            {"description": "concurrent"},
            {"budget": 77},
            {"time_window": 120},
            {"clickthrough": True},
            {"unique_conversion": True},
            {"base_price": 9.99},
            {"device_price": {"mobile": 10}},
        ]
        answers = await asyncio.gather(*(patch(world, deal["id"], b) for b in bodies))
        assert [a.status_code for a in answers] == [204] * len(bodies), [a.text for a in answers]
        got = await get(world, deal["id"])
        for body in bodies:
            assert {k: got[k] for k in body} == body
        assert len(await history(world, deal["id"])) == 1 + len(bodies)

    async def test_if_match(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        ok = await patch(world, deal["id"], {"name": "v2"}, **{"If-Match": '"1"'})
        assert ok.status_code == 204, ok.text
        assert ok.headers["etag"] == '"2"'
        stale = await patch(world, deal["id"], {"name": "lost"}, **{"If-Match": '"1"'})
        assert_error(stale, 412)
        assert (await get(world, deal["id"]))["name"] == "v2"

    async def test_an_unknown_deal(self, world: World) -> None:
        assert_error(await patch(world, "999999999", {"name": "x"}), 400, UNKNOWN_DEAL)


class TestArchive:
    async def test_archive_and_again(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        response = await archive(world, deal["id"])
        assert response.status_code == 204, response.text
        assert response.headers["etag"] == '"2"'
        got = await get(world, deal["id"])
        assert got["archived"] == 1
        assert (await archive(world, deal["id"])).status_code == 204
        entries = await history(world, deal["id"])
        assert [(e["version"], e["action"]) for e in entries] == [(2, "archive"), (1, "create")]
        assert entries[0]["changes"] == {"archived": {"old": 0, "new": 1}}

    async def test_refused_with_an_active_campaign(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        await add_campaign(world, deal, "running")
        assert_error(await archive(world, deal["id"]), 400, "active campaigns")
        assert (await get(world, deal["id"]))["archived"] == 0

    async def test_archives_its_campaigns(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        campaign_id = await add_campaign(world, deal, "paused")
        assert (await archive(world, deal["id"])).status_code == 204
        assert (await campaign(world, campaign_id)).archived == 1

    async def test_if_match(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        assert_error(await archive(world, deal["id"], **{"If-Match": '"7"'}), 412)
        assert (await get(world, deal["id"]))["archived"] == 0

    @pytest.mark.parametrize("deal_id", ["999999999", "x1"])
    async def test_an_unknown_deal(self, world: World, deal_id: str) -> None:
        assert_error(await archive(world, deal_id), 400, UNKNOWN_DEAL)


class TestHistory:
    async def test_newest_first_and_paged(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        for name in ("b", "c"):
            assert (await patch(world, deal["id"], {"name": name})).status_code == 204
        entries = await history(world, deal["id"])
        assert [e["version"] for e in entries] == [3, 2, 1]
        assert entries[0]["changes"] == {"name": {"old": "b", "new": "c"}}
        assert entries[0]["surface"] == "hood"
        response = await world.client.get(
            f"{DEALS}/{deal['id']}/history", params={"page": "2,1"}, headers=world.alice.headers()
        )
        body = response.json()
        assert body["total"] == 3
        assert [e["version"] for e in body["items"]] == [2]

    async def test_an_unknown_deal(self, world: World) -> None:
        response = await world.client.get(
            f"{DEALS}/999999999/history", headers=world.alice.headers()
        )
        assert_error(response, 400, UNKNOWN_DEAL)


class TestScopes:
    async def test_a_read_only_token_reads_but_cannot_write(self, world: World) -> None:
        partner_id = await new_partner(world)
        deal = await create(world, partner_id)
        token = await world.token(world.alice, ["hood.deals.read"])
        headers = json_headers(world.alice, token)
        for path in (DEALS, f"{DEALS}/{deal['id']}", f"{DEALS}/{deal['id']}/history"):
            response = await world.client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text)
        for method, path, body in (
            ("POST", DEALS, deal_body(partner_id)),
            ("PATCH", f"{DEALS}/{deal['id']}", {"name": "x"}),
            ("POST", f"{DEALS}/{deal['id']}/archive", None),
        ):
            response = await world.client.request(method, path, json=body, headers=headers)
            assert_error(response, 403, "hood.deals.write")
        assert await get(world, deal["id"]) == deal

    async def test_a_token_without_deal_scopes(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        token = await world.token(world.alice, ["hood.partners.read", "hood.partners.write"])
        for path in (DEALS, f"{DEALS}/{deal['id']}", f"{DEALS}/{deal['id']}/history"):
            response = await world.client.get(path, headers=world.alice.headers(token))
            assert_error(response, 403, "hood.deals.read")

    async def test_a_write_token_reads_too(self, world: World) -> None:
        deal = await create(world, await new_partner(world))
        token = await world.token(world.alice, ["hood.deals.write"])
        response = await world.client.get(
            f"{DEALS}/{deal['id']}", headers=world.alice.headers(token)
        )
        assert response.status_code == 200, response.text


class TestIsolation:
    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [
            ("GET", "", None),
            ("PATCH", "", {"name": "stolen"}),
            ("POST", "/archive", None),
            ("GET", "/history", None),
        ],
    )
    async def test_another_accounts_deal_is_unknown(
        self, world: World, method: str, suffix: str, body: Any
    ) -> None:
        deal = await create(world, await new_partner(world))
        response = await world.client.request(
            method, f"{DEALS}/{deal['id']}{suffix}", json=body, headers=json_headers(world.bob)
        )
        assert_error(response, 400, UNKNOWN_DEAL)
        assert await get(world, deal["id"]) == deal

    async def test_lists_hold_only_own_deals(self, world: World) -> None:
        await create(world, await new_partner(world))
        response = await world.client.get(DEALS, headers=world.bob.headers())
        assert response.json() == {"total": 0, "items": []}
