"""CRM batch endpoints: read, create, update, upsert, archive (≤ 100 inputs, 207 on partial)."""

from __future__ import annotations

from typing import Any

import pytest

from crm.kit import ISO_MS, OBJECTS, assert_crm_error, create, define, define_seed, read
from harness import Tenant, World

UNIQUE = {
    "name": "domain",
    "label": "Domain",
    "type": "string",
    "fieldType": "text",
    "hasUniqueValue": True,
}


async def _post(
    world: World, what: str, body: Any, tenant: Tenant | None = None, **params: Any
) -> Any:
    return await world.client.post(
        f"{OBJECTS}/batch/{what}",
        json=body,
        params=params,
        headers=(tenant or world.alice).headers(),
    )


def _assert_batch(body: dict[str, Any]) -> None:
    assert body["status"] == "COMPLETE"
    assert ISO_MS.fullmatch(body["startedAt"]) and ISO_MS.fullmatch(body["completedAt"])


class TestBatchRead:
    async def test_found_ids_200_and_partial_207(self, world: World) -> None:
        await define_seed(world, world.alice)
        a = await create(world, world.alice, property_number="1")
        b = await create(world, world.alice, property_number="2")
        response = await _post(
            world,
            "read",
            {
                "inputs": [{"id": a["id"]}, {"id": b["id"]}],
                "properties": ["property_number"],
                "propertiesWithHistory": ["property_number"],
            },
            archived="False",
        )
        assert response.status_code == 200, response.text
        body = response.json()
        _assert_batch(body)
        assert {r["properties"]["property_number"] for r in body["results"]} == {"1", "2"}
        assert "errors" not in body and "numErrors" not in body
        assert body["results"][0]["propertiesWithHistory"]["property_number"][0]["value"] in "12"
        partial = await _post(world, "read", {"inputs": [{"id": a["id"]}, {"id": "424242"}]})
        assert partial.status_code == 207, partial.text
        body = partial.json()
        assert body["numErrors"] == 1
        assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
        assert body["errors"][0]["context"]["ids"] == ["424242"]
        assert [r["id"] for r in body["results"]] == [a["id"]]

    async def test_all_missing_is_404_and_foreign_ids_are_missing(self, world: World) -> None:
        created = await create(world, world.alice)
        response = await _post(world, "read", {"inputs": [{"id": created["id"]}]}, world.bob)
        assert_crm_error(response, 404, "OBJECT_NOT_FOUND")

    async def test_more_than_100_inputs_is_400(self, world: World) -> None:
        response = await _post(world, "read", {"inputs": [{"id": str(i)} for i in range(101)]})
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert "100" in body["message"]


class TestBatchCreate:
    async def test_created_201_and_partial_207_rolls_back_only_the_bad_input(
        self, world: World
    ) -> None:
        await define_seed(world, world.alice)
        await define(world, world.alice, UNIQUE)
        response = await _post(
            world,
            "create",
            {
                "inputs": [
                    {"properties": {"property_number": "1"}},
                    {"properties": {"domain": "a.example"}},
                ]
            },
        )
        assert response.status_code == 201, response.text
        _assert_batch(response.json())
        assert len(response.json()["results"]) == 2
        partial = await _post(
            world,
            "create",
            {
                "inputs": [
                    {"properties": {"property_number": "2"}},
                    {"properties": {"domain": "a.example"}, "objectWriteTraceId": "t-2"},
                    {"properties": {"property_number": "oops"}},
                ]
            },
        )
        assert partial.status_code == 207, partial.text
        body = partial.json()
        assert body["numErrors"] == 2 and len(body["results"]) == 1
        categories = sorted(e["category"] for e in body["errors"])
        assert categories == ["CONFLICT", "VALIDATION_ERROR"]
        conflict = next(e for e in body["errors"] if e["category"] == "CONFLICT")
        assert conflict["context"]["objectWriteTraceId"] == ["t-2"]
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert len(listed.json()["results"]) == 3

    async def test_all_invalid_is_400(self, world: World) -> None:
        response = await _post(world, "create", {"inputs": [{"properties": {"nope": "1"}}]})
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert body["errors"][0]["code"] == "PROPERTY_DOESNT_EXIST"


class TestBatchUpdate:
    async def test_updates_and_207_for_unknown_id(self, world: World) -> None:
        await define_seed(world, world.alice)
        a = await create(world, world.alice, property_number="1")
        response = await _post(
            world,
            "update",
            {
                "inputs": [
                    {"id": a["id"], "properties": {"property_number": "5"}},
                    {"id": "999999", "properties": {"property_number": "6"}},
                ]
            },
        )
        assert response.status_code == 207, response.text
        body = response.json()
        assert body["results"][0]["properties"]["property_number"] == "5"
        assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
        assert body["errors"][0]["context"]["ids"] == ["999999"]
        ok = await _post(
            world, "update", {"inputs": [{"id": a["id"], "properties": {"property_number": "7"}}]}
        )
        assert ok.status_code == 200
        assert (await read(world, world.alice, a["id"], properties="property_number"))[
            "properties"
        ]["property_number"] == "7"


class TestBatchUpsert:
    async def test_creates_then_updates_by_unique_property(self, world: World) -> None:
        await define_seed(world, world.alice)
        await define(world, world.alice, UNIQUE)
        body = {
            "inputs": [
                {
                    "id": "acme.example",
                    "idProperty": "domain",
                    "properties": {"property_number": "1"},
                }
            ]
        }
        first = await _post(world, "upsert", body)
        assert first.status_code == 200, first.text
        [created] = first.json()["results"]
        assert created["new"] is True and created["properties"]["domain"] == "acme.example"
        body["inputs"][0]["properties"] = {"property_number": "2"}
        second = await _post(world, "upsert", body)
        [updated] = second.json()["results"]
        assert updated["new"] is False and updated["id"] == created["id"]
        assert updated["properties"]["property_number"] == "2"

    async def test_without_unique_id_property_is_400(self, world: World) -> None:
        response = await _post(world, "upsert", {"inputs": [{"id": "1", "properties": {}}]})
        assert_crm_error(response, 400, "VALIDATION_ERROR")


class TestBatchArchive:
    async def test_archives_204_ignoring_unknown_ids(self, world: World) -> None:
        a = await create(world, world.alice)
        b = await create(world, world.alice)
        response = await _post(world, "archive", {"inputs": [{"id": a["id"]}, {"id": "777777"}]})
        assert response.status_code == 204 and response.content == b""
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert [r["id"] for r in listed.json()["results"]] == [b["id"]]

    async def test_missing_scope_is_403(self, world: World) -> None:
        token = await world.token(world.alice, ["crm.objects.partner-clients.read"])
        response = await world.client.post(
            f"{OBJECTS}/batch/archive",
            json={"inputs": [{"id": "1"}]},
            headers=world.alice.headers(token),
        )
        assert_crm_error(response, 403, "MISSING_SCOPES")


class TestEveryInputFailed:
    """One rule for every batch that answers per input: 207 when some inputs failed, the first
    error itself (no 207) when all of them failed."""

    FAILING = {
        "read": ({"id": "424242"}, 404, "OBJECT_NOT_FOUND"),
        "create": ({"properties": {"nope": "1"}}, 400, "VALIDATION_ERROR"),
        "update": ({"id": "424242", "properties": {}}, 404, "OBJECT_NOT_FOUND"),
        "upsert": ({"id": "x.example", "properties": {}}, 400, "VALIDATION_ERROR"),
    }

    @pytest.mark.parametrize("what", list(FAILING))
    async def test_all_failed_is_the_error_and_some_failed_is_207(
        self, world: World, what: str
    ) -> None:
        await define(world, world.alice, UNIQUE)
        existing = await create(world, world.alice)
        working = {
            "read": {"id": existing["id"]},
            "create": {"properties": {}},
            "update": {"id": existing["id"], "properties": {"domain": "b.example"}},
            "upsert": {"id": "a.example", "idProperty": "domain", "properties": {}},
        }[what]
        failing, status, category = self.FAILING[what]
        body = assert_crm_error(
            await _post(world, what, {"inputs": [failing] * 2}), status, category
        )
        assert "results" not in body
        partial = await _post(world, what, {"inputs": [failing, working]})
        assert partial.status_code == 207, partial.text
        assert partial.json()["numErrors"] == 1 and len(partial.json()["results"]) == 1


class TestOtherMethods:
    async def test_batch_routes_answer_405_with_allow_post(self, world: World) -> None:
        spec = (await world.client.get("/openapi.json")).json()
        batches = [p for p in spec["paths"] if p.startswith(f"{OBJECTS}/batch/")]
        assert sorted(p.rsplit("/", 1)[1] for p in batches) == sorted(
            ["read", "create", "update", "upsert", "archive"]
        )
        for path in batches:
            for method in ("GET", "PATCH", "PUT", "DELETE"):
                response = await world.client.request(
                    method, path, json={"inputs": []}, headers=world.alice.headers()
                )
                assert_crm_error(response, 405, "METHOD_NOT_ALLOWED")
                assert response.headers["allow"] == "POST", (method, path)

    async def test_ids_with_slashes_still_reach_the_object(self, world: World) -> None:
        # Only a batch route's exact path is kept from the object routes.
        await define(world, world.alice, UNIQUE)
        for value in ("batch/readme", "batch/read/more", "batch/other"):
            created = await create(world, world.alice, domain=value)
            for method in ("GET", "PATCH"):
                response = await world.client.request(
                    method,
                    f"{OBJECTS}/{value.replace('/', '%2F')}",
                    params={"idProperty": "domain"},
                    json={"properties": {}},
                    headers=world.alice.headers(),
                )
                assert response.status_code == 200, response.text
                assert response.json()["id"] == created["id"]
