"""CRM search: every operator, groups OR / filters AND, one sort, query, paging, limits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from crm.kit import OBJECTS, assert_crm_error, create, define, define_seed, set_crm_limits
from harness import World
from partnerhub.domain import crm_search
from partnerhub.domain.crm_properties import BUILTINS
from partnerhub.errors import ValidationFailed

SEARCH = f"{OBJECTS}/search"
WHEN = {"name": "when", "label": "When", "type": "datetime", "fieldType": "date"}


async def _search(world: World, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = await world.client.post(SEARCH, json=body, headers=world.alice.headers())
    assert response.status_code == status, response.text
    found: dict[str, Any] = response.json()
    return found


def _f(name: str, op: str, **kw: Any) -> dict[str, Any]:
    return {"filterGroups": [{"filters": [{"propertyName": name, "operator": op, **kw}]}]}


@pytest.fixture
async def clients(world: World) -> list[str]:
    await set_crm_limits(world, world.alice, crm_search=[[1000, 1]])
    await define_seed(world, world.alice)
    await define(world, world.alice, WHEN)
    rows = [
        dict(
            property_string="Acme Corp",
            property_number="10",
            property_date="2020-01-01",
            property_dropdown="choice_a",
            property_multiple_checkboxes="chocolate;vanilla",
            property_checkbox="true",
            when="2020-01-01T10:00:00Z",
        ),
        dict(
            property_string="Globex support",
            property_number="9.5",
            property_date="2021-06-15",
            property_dropdown="choice_b",
            property_multiple_checkboxes="strawberry",
            property_checkbox="false",
            when="2021-01-01T10:00:00Z",
        ),
        dict(
            property_string="initech",
            property_number="100",
            property_date="2019-03-03",
            property_dropdown="choice_b",
        ),
        dict(property_number="-1"),
    ]
    return [(await create(world, world.alice, **row))["id"] for row in rows]


def _ids(found: dict[str, Any]) -> list[str]:
    return [r["id"] for r in found["results"]]


class TestSearch:
    async def test_comparisons_are_typed(self, world: World, clients: list[str]) -> None:
        a, b, c, d = clients
        assert _ids(await _search(world, _f("property_number", "GT", value="9.6"))) == [a, c]
        assert _ids(await _search(world, _f("property_number", "LTE", value="9.5"))) == [b, d]
        between = _f("property_number", "BETWEEN", value="0", highValue="10")
        assert _ids(await _search(world, between)) == [a, b]
        assert _ids(await _search(world, _f("property_date", "GTE", value="2020-01-01"))) == [a, b]
        assert _ids(await _search(world, _f("property_date", "LT", value="1577836800000"))) == [c]
        assert _ids(await _search(world, _f("when", "GT", value="2020-06-01T00:00:00.000Z"))) == [b]
        created = await _search(world, _f("hs_createdate", "GTE", value="2000-01-01"))
        assert created["total"] == 4
        assert _ids(await _search(world, _f("hs_object_id", "EQ", value=b))) == [b]

    async def test_equality_in_and_negations(self, world: World, clients: list[str]) -> None:
        a, b, c, d = clients
        assert _ids(await _search(world, _f("property_string", "EQ", value="ACME CORP"))) == [a]
        assert _ids(await _search(world, _f("property_dropdown", "EQ", value="choice_b"))) == [b, c]
        assert _ids(await _search(world, _f("property_dropdown", "NEQ", value="choice_b"))) == [
            a,
            d,
        ]
        ins = _f("property_dropdown", "IN", values=["choice_a", "choice_x"])
        assert _ids(await _search(world, ins)) == [a]
        not_in = _f("property_dropdown", "NOT_IN", values=["choice_a"])
        assert _ids(await _search(world, not_in)) == [b, c, d]
        multi = _f("property_multiple_checkboxes", "EQ", value="vanilla")
        assert _ids(await _search(world, multi)) == [a]
        assert _ids(await _search(world, _f("property_checkbox", "EQ", value="true"))) == [a]

    async def test_has_property_and_tokens(self, world: World, clients: list[str]) -> None:
        a, b, c, d = clients
        assert _ids(await _search(world, _f("property_string", "HAS_PROPERTY"))) == [a, b, c]
        assert _ids(await _search(world, _f("property_string", "NOT_HAS_PROPERTY"))) == [d]
        token = _f("property_string", "CONTAINS_TOKEN", value="support")
        assert _ids(await _search(world, token)) == [b]
        wildcard = _f("property_string", "CONTAINS_TOKEN", value="glob*")
        assert _ids(await _search(world, wildcard)) == [b]
        assert (
            _ids(await _search(world, _f("property_string", "CONTAINS_TOKEN", value="cor"))) == []
        )
        negated = _f("property_string", "NOT_CONTAINS_TOKEN", value="acme")
        assert _ids(await _search(world, negated)) == [b, c, d]

    async def test_groups_or_filters_and(self, world: World, clients: list[str]) -> None:
        a, _, c, _ = clients
        body = {
            "filterGroups": [
                {
                    "filters": [
                        {
                            "propertyName": "property_dropdown",
                            "operator": "EQ",
                            "value": "choice_b",
                        },
                        {"propertyName": "property_number", "operator": "GT", "value": "50"},
                    ]
                },
                {
                    "filters": [
                        {"propertyName": "property_checkbox", "operator": "EQ", "value": "true"}
                    ]
                },
            ]
        }
        assert _ids(await _search(world, body)) == [a, c]

    async def test_sort_query_properties_and_paging(self, world: World, clients: list[str]) -> None:
        a, b, c, d = clients
        sorted_desc = await _search(
            world, {"sorts": [{"propertyName": "property_number", "direction": "DESCENDING"}]}
        )
        assert _ids(sorted_desc) == [c, a, b, d]
        assert _ids(await _search(world, {"sorts": ["property_number"]})) == [d, b, a, c]
        assert _ids(await _search(world, {"sorts": ["-property_string"]}))[:3] == [c, b, a]
        queried = await _search(
            world, {"query": "globex", "properties": ["property_string", "nope"]}
        )
        assert queried["total"] == 1
        assert queried["results"][0]["properties"] == {"property_string": "Globex support"}
        page1 = await _search(world, {"limit": 3})
        assert page1["total"] == 4 and page1["paging"]["next"]["after"] == "3"
        page2 = await _search(world, {"limit": 3, "after": "3"})
        assert _ids(page2) == [d] and "paging" not in page2

    async def test_archived_objects_never_match(self, world: World, clients: list[str]) -> None:
        await world.client.delete(f"{OBJECTS}/{clients[0]}", headers=world.alice.headers())
        assert (await _search(world, {}))["total"] == 3

    async def test_documented_limits(self, world: World) -> None:
        await set_crm_limits(world, world.alice, crm_search=[[1000, 1]])
        one = {"propertyName": "hs_object_id", "operator": "GT", "value": "0"}
        too_many_groups = {"filterGroups": [{"filters": [one]}] * 6}
        too_many_in_group = {"filterGroups": [{"filters": [one] * 7}]}
        too_many_total = {"filterGroups": [{"filters": [one] * 6}] * 3 + [{"filters": [one]}]}
        two_sorts = {"sorts": ["hs_object_id", "hs_createdate"]}
        for body in (
            too_many_groups,
            too_many_in_group,
            too_many_total,
            two_sorts,
            {"limit": 201},
            {"after": "9999"},
            _f("nope", "EQ", value="x"),
            _f("hs_object_id", "LIKE", value="1"),
            _f("hs_object_id", "IN", values=[]),
        ):
            response = await world.client.post(SEARCH, json=body, headers=world.alice.headers())
            assert_crm_error(response, 400, "VALIDATION_ERROR")
        ok = {"filterGroups": [{"filters": [one] * 6}] * 3}
        assert (await _search(world, ok))["total"] == 0
        big = {"query": "x" * 3001}
        response = await world.client.post(SEARCH, json=big, headers=world.alice.headers())
        assert_crm_error(response, 400, "VALIDATION_ERROR")


def _accepted(body: dict[str, Any]) -> bool:
    try:
        crm_search.parse(body, BUILTINS)
    except ValidationFailed:
        return False
    return True


class TestDocumentedSchema:
    """The OpenAPI description of the search body states the rules `crm_search.parse` enforces:
    each documented bound is accepted and one past it refused, each documented value accepted."""

    async def test_documented_bounds_are_the_enforced_ones(self, world: World) -> None:
        schemas = (await world.client.get("/openapi.json")).json()["components"]["schemas"]
        body = schemas["CrmSearchRequest"]["properties"]
        group = schemas["CrmFilterGroup"]
        groups = body["filterGroups"]["maxItems"]
        per_group = group["properties"]["filters"]["maxItems"]
        total = int(re.findall(r"at most (\d+) filters", body["filterGroups"]["description"])[0])
        sorts = body["sorts"]["maxItems"]
        low, high = body["limit"]["minimum"], body["limit"]["maximum"]
        one = {"propertyName": "hs_object_id", "operator": "GT", "value": "0"}

        def in_groups(n: int) -> dict[str, Any]:
            return {"filterGroups": [{"filters": [one]}] * n}

        def in_one_group(n: int) -> dict[str, Any]:
            return {"filterGroups": [{"filters": [one] * n}]}

        def in_full_groups(n: int) -> dict[str, Any]:
            full, rest = divmod(n, per_group)
            sizes = [per_group] * full + ([rest] if rest else [])
            return {"filterGroups": [{"filters": [one] * size} for size in sizes]}

        def sorted_by(n: int) -> dict[str, Any]:
            return {"sorts": ["hs_object_id"] * n}

        def limit(n: int) -> dict[str, Any]:
            return {"limit": n}

        for make, bound, past in [
            (in_groups, groups, groups + 1),
            (in_one_group, per_group, per_group + 1),
            (in_full_groups, total, total + 1),
            (sorted_by, sorts, sorts + 1),
            (limit, high, high + 1),
            (limit, low, low - 1),
        ]:
            assert _accepted(make(bound)), (make.__name__, bound)
            assert not _accepted(make(past)), (make.__name__, past)
        assert crm_search.parse({}, BUILTINS).limit == body["limit"]["default"]
        # A group without filters is accepted, so the documentation must not require them.
        assert _accepted({"filterGroups": [{}]})
        assert "filters" not in group.get("required", [])

    async def test_documented_enums_are_the_enforced_ones(self, world: World) -> None:
        schemas = (await world.client.get("/openapi.json")).json()["components"]["schemas"]
        operator = schemas["CrmFilter"]["properties"]["operator"]
        direction = schemas["CrmSort"]["properties"]["direction"]
        assert set(operator["enum"]) == set(crm_search.OPERATORS)
        for op in operator["enum"]:
            assert _accepted(_f("hs_object_id", op, value="1", highValue="2", values=["1"])), op
        assert not _accepted(_f("hs_object_id", "LIKE", value="1"))
        no_operator = {"propertyName": "hs_object_id", "value": "1"}
        [[parsed]] = crm_search.parse(
            {"filterGroups": [{"filters": [no_operator]}]}, BUILTINS
        ).groups
        assert parsed.operator == operator["default"]

        assert set(direction["enum"]) == set(crm_search.DIRECTIONS)
        for value in direction["enum"]:
            sort = crm_search.parse(
                {"sorts": [{"propertyName": "hs_object_id", "direction": value}]}, BUILTINS
            ).sort
            assert sort is not None and sort.descending == (value == "DESCENDING")
        assert not _accepted({"sorts": [{"propertyName": "hs_object_id", "direction": "UP"}]})
        unsorted = crm_search.parse({"sorts": [{"propertyName": "hs_object_id"}]}, BUILTINS).sort
        assert unsorted is not None and direction["default"] == "ASCENDING"
        assert not unsorted.descending
