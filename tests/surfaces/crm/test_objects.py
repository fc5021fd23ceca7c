"""CRM objects: create, read, list, update, archive, history — one class per endpoint."""

from __future__ import annotations

import asyncio
from typing import Any

from crm.kit import (
    ISO_MS,
    OBJECTS,
    OBJECTS_READ,
    SEED_004_DATA,
    SEED_004_VALUES,
    assert_crm_error,
    create,
    define,
    define_seed,
    read,
)
from harness import World

JSON = {"Content-Type": "application/json"}


async def _patch(world: World, object_id: str, properties: dict[str, Any], **headers: str) -> Any:
    return await world.client.patch(
        f"{OBJECTS}/{object_id}",
        json={"properties": properties},
        headers=world.alice.headers(**headers),
    )


class TestCreate:
    async def test_create_answers_201_with_iso_timestamps_and_builtins(self, world: World) -> None:
        await define_seed(world, world.alice)
        response = await world.client.post(
            OBJECTS,
            json={"properties": {"property_string": "Acme", "property_number": "3"}},
            headers=world.alice.headers(),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert set(body) == {"id", "properties", "createdAt", "updatedAt", "archived"}
        assert body["id"].isdigit() and body["archived"] is False
        assert ISO_MS.fullmatch(body["createdAt"]) and ISO_MS.fullmatch(body["updatedAt"])
        props = body["properties"]
        assert props["property_string"] == "Acme" and props["property_number"] == "3"
        assert props["hs_object_id"] == body["id"]
        assert props["hs_createdate"] == body["createdAt"]
        assert response.headers["etag"] == '"1"'

    async def test_unknown_property_is_property_doesnt_exist_and_creates_nothing(
        self, world: World
    ) -> None:
        response = await world.client.post(
            OBJECTS, json={"properties": {"testproperty": "x"}}, headers=world.alice.headers()
        )
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert body["errors"][0]["code"] == "PROPERTY_DOESNT_EXIST"
        assert body["errors"][0]["context"] == {"propertyName": ["testproperty"]}
        assert body["context"] == {"propertyName": ["testproperty"]}
        assert body["message"].startswith("Property values were not valid: [")
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert listed.json() == {"results": []}

    async def test_read_only_builtin_is_refused(self, world: World) -> None:
        for name in ("hs_object_id", "hs_createdate", "hs_lastmodifieddate"):
            response = await world.client.post(
                OBJECTS, json={"properties": {name: "1"}}, headers=world.alice.headers()
            )
            body = assert_crm_error(response, 400, "VALIDATION_ERROR")
            assert body["errors"][0]["code"] == "READ_ONLY_VALUE"
            assert body["errors"][0]["context"] == {"propertyName": [name]}

    async def test_invalid_value_for_each_type_names_the_property(self, world: World) -> None:
        await define_seed(world, world.alice)
        cases = {
            "property_checkbox": ("maybe", "INVALID_BOOLEAN"),
            "property_date": ("1606768561954", "INVALID_DATE"),
            "property_dropdown": ("choice_z", "INVALID_OPTION"),
            "property_multiple_checkboxes": ("chocolate;mint", "INVALID_OPTION"),
            "property_number": ("12abc", "INVALID_INTEGER"),
            "property_radio": ("option_9", "INVALID_OPTION"),
            "property_string": ("x" * 65_537, "INVALID_STRING"),
        }
        for name, (value, code) in cases.items():
            response = await world.client.post(
                OBJECTS, json={"properties": {name: value}}, headers=world.alice.headers()
            )
            body = assert_crm_error(response, 400, "VALIDATION_ERROR")
            assert body["errors"] == [
                {
                    "message": body["errors"][0]["message"],
                    "code": code,
                    "context": {"propertyName": [name]},
                }
            ], name
        await define(
            world,
            world.alice,
            {"name": "when", "label": "When", "type": "datetime", "fieldType": "date"},
        )
        response = await world.client.post(
            OBJECTS, json={"properties": {"when": "yesterday"}}, headers=world.alice.headers()
        )
        assert assert_crm_error(response, 400, "VALIDATION_ERROR")["context"] == {
            "propertyName": ["when"]
        }
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert listed.json() == {"results": []}

    async def test_values_are_normalised_per_type(self, world: World) -> None:
        await define_seed(world, world.alice)
        await define(
            world,
            world.alice,
            {"name": "when", "label": "When", "type": "datetime", "fieldType": "date"},
        )
        created = await create(
            world,
            world.alice,
            property_date="2019-10-31",
            property_checkbox="TRUE",
            when="1572480000123",
        )
        assert created["properties"]["property_date"] == "1572480000000"
        assert created["properties"]["property_checkbox"] == "true"
        assert created["properties"]["when"] == "2019-10-31T00:00:00.123Z"

    async def test_missing_properties_key_is_validation_error(self, world: World) -> None:
        response = await world.client.post(OBJECTS, json={}, headers=world.alice.headers())
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert "properties" in body["message"]

    async def test_idempotency_key_replays_and_refuses_other_body(self, world: World) -> None:
        await define_seed(world, world.alice)
        headers = world.alice.headers(**{"Idempotency-Key": "abc-1"})
        first = await world.client.post(
            OBJECTS, json={"properties": {"property_string": "a"}}, headers=headers
        )
        again = await world.client.post(
            OBJECTS, json={"properties": {"property_string": "a"}}, headers=headers
        )
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        other = await world.client.post(
            OBJECTS, json={"properties": {"property_string": "b"}}, headers=headers
        )
        assert_crm_error(other, 422, "VALIDATION_ERROR")
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert len(listed.json()["results"]) == 1

    async def test_missing_token_is_401_and_missing_scope_403(self, world: World) -> None:
        response = await world.client.post(OBJECTS, json={"properties": {}})
        assert_crm_error(response, 401, "INVALID_AUTHENTICATION")
        token = await world.token(world.alice, OBJECTS_READ)
        response = await world.client.post(
            OBJECTS, json={"properties": {}}, headers=world.alice.headers(token)
        )
        body = assert_crm_error(response, 403, "MISSING_SCOPES")
        assert body["errors"][0]["context"] == {
            "requiredGranularScopes": ["crm.objects.partner-clients.write"]
        }


class TestUpdate:
    async def test_seed_004_example_verbatim(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_string="before")
        response = await world.client.patch(
            f"{OBJECTS}/{created['id']}",
            content=SEED_004_DATA,
            headers=world.alice.headers(**JSON),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"id", "properties", "createdAt", "updatedAt", "archived"}
        assert body["id"] == created["id"] and body["archived"] is False
        assert body["createdAt"] == created["createdAt"]
        assert ISO_MS.fullmatch(body["updatedAt"])
        assert {k: body["properties"][k] for k in SEED_004_VALUES} == SEED_004_VALUES
        assert response.headers["etag"] == '"2"'

    async def test_empty_string_clears_and_semicolon_appends(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(
            world, world.alice, property_string="x", property_multiple_checkboxes="chocolate"
        )
        response = await _patch(
            world,
            created["id"],
            {"property_string": "", "property_multiple_checkboxes": ";strawberry"},
        )
        assert response.status_code == 200, response.text
        props = response.json()["properties"]
        assert "property_string" not in props
        assert props["property_multiple_checkboxes"] == "chocolate;strawberry"
        got = await read(
            world, world.alice, created["id"], properties="property_string,property_number"
        )
        assert got["properties"] == {"property_string": None, "property_number": None}

    async def test_invalid_value_changes_nothing(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_number="1")
        response = await _patch(
            world, created["id"], {"property_number": "2", "property_radio": "nope"}
        )
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert body["context"] == {"propertyName": ["property_radio"]}
        got = await read(world, world.alice, created["id"], properties="property_number")
        assert got["properties"]["property_number"] == "1"

    async def test_if_match_mismatch_is_412(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_number="1")
        response = await _patch(
            world, created["id"], {"property_number": "2"}, **{"If-Match": '"7"'}
        )
        assert_crm_error(response, 412, "CONFLICT")
        response = await _patch(
            world, created["id"], {"property_number": "2"}, **{"If-Match": '"1"'}
        )
        assert response.status_code == 200
        assert response.headers["etag"] == '"2"'

    async def test_foreign_account_object_is_404(self, world: World) -> None:
        await define_seed(world, world.alice)
        await define_seed(world, world.bob)
        created = await create(world, world.alice, property_number="1")
        response = await world.client.patch(
            f"{OBJECTS}/{created['id']}",
            json={"properties": {"property_number": "5"}},
            headers=world.bob.headers(),
        )
        assert_crm_error(response, 404, "OBJECT_NOT_FOUND")
        got = await read(world, world.alice, created["id"], properties="property_number")
        assert got["properties"]["property_number"] == "1"

    async def test_malformed_json_names_the_location(self, world: World) -> None:
        created = await create(world, world.alice)
        response = await world.client.patch(
            f"{OBJECTS}/{created['id']}",
            content=b'{"properties": {"a": }',
            headers=world.alice.headers(**JSON),
        )
        body = assert_crm_error(response, 400, "VALIDATION_ERROR")
        assert "line 1 column" in body["message"]

    async def test_by_unique_id_property(self, world: World) -> None:
        await define(
            world,
            world.alice,
            {
                "name": "email",
                "label": "E-mail",
                "type": "string",
                "fieldType": "text",
                "hasUniqueValue": True,
            },
        )
        created = await create(world, world.alice, email="me/you@x.com")
        response = await world.client.patch(
            f"{OBJECTS}/me%2Fyou%40x.com",
            params={"idProperty": "email"},
            json={"properties": {"email": "new@x.com"}},
            headers=world.alice.headers(),
        )
        assert response.status_code == 200, response.text
        assert response.json()["id"] == created["id"]
        got = await read(world, world.alice, "new%40x.com", idProperty="email")
        assert got["id"] == created["id"]


class TestUniqueValues:
    async def test_duplicate_unique_value_is_409_and_freed_value_is_reusable(
        self, world: World
    ) -> None:
        await define(
            world,
            world.alice,
            {
                "name": "domain",
                "label": "Domain",
                "type": "string",
                "fieldType": "text",
                "hasUniqueValue": True,
            },
        )
        first = await create(world, world.alice, domain="acme.example")
        response = await world.client.post(
            OBJECTS, json={"properties": {"domain": "acme.example"}}, headers=world.alice.headers()
        )
        body = assert_crm_error(response, 409, "CONFLICT")
        assert first["id"] in body["message"]
        await _patch(world, first["id"], {"domain": "other.example"})
        again = await create(world, world.alice, domain="acme.example")
        assert again["id"] != first["id"]
        # Another account may hold the same value.
        await define(
            world,
            world.bob,
            {
                "name": "domain",
                "label": "Domain",
                "type": "string",
                "fieldType": "text",
                "hasUniqueValue": True,
            },
        )
        await create(world, world.bob, domain="acme.example")

    async def test_non_unique_id_property_is_400(self, world: World) -> None:
        await define_seed(world, world.alice)
        response = await world.client.get(
            f"{OBJECTS}/x",
            params={"idProperty": "property_string"},
            headers=world.alice.headers(),
        )
        assert_crm_error(response, 400, "VALIDATION_ERROR")


class TestGet:
    async def test_properties_etag_and_history(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_number="1", property_string="a")
        await _patch(world, created["id"], {"property_number": "2"})
        await _patch(world, created["id"], {"property_number": "3"})
        response = await world.client.get(
            f"{OBJECTS}/{created['id']}",
            params=[
                ("properties", "property_number"),
                ("properties", "property_string,unknown_one"),
                ("propertiesWithHistory", "property_number"),
            ],
            headers=world.alice.headers(**JSON),
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"3"'
        body = response.json()
        assert body["properties"] == {"property_number": "3", "property_string": "a"}
        history = body["propertiesWithHistory"]["property_number"]
        assert [h["value"] for h in history] == ["3", "2", "1"]
        token_ids = {h["sourceId"] for h in history}
        assert len(token_ids) == 1 and next(iter(token_ids)).startswith("token:")
        assert all(h["sourceType"] == "API" and ISO_MS.fullmatch(h["timestamp"]) for h in history)
        # The newest entry is stamped with the change itself, the oldest with the creation.
        assert history[0]["timestamp"] == body["updatedAt"]
        assert history[-1]["timestamp"] == body["createdAt"]

    async def test_default_properties_are_the_builtins(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_number="1")
        got = await read(world, world.alice, created["id"])
        assert set(got["properties"]) == {"hs_object_id", "hs_createdate", "hs_lastmodifieddate"}

    async def test_unknown_malformed_and_foreign_ids_are_404(self, world: World) -> None:
        created = await create(world, world.alice)
        for path, tenant in (
            ("999999", world.alice),
            ("abc", world.alice),
            (created["id"], world.bob),
        ):
            response = await world.client.get(f"{OBJECTS}/{path}", headers=tenant.headers())
            assert_crm_error(response, 404, "OBJECT_NOT_FOUND")

    async def test_read_scope_suffices_and_other_scope_is_403(self, world: World) -> None:
        created = await create(world, world.alice)
        token = await world.token(world.alice, OBJECTS_READ)
        response = await world.client.get(
            f"{OBJECTS}/{created['id']}", headers=world.alice.headers(token)
        )
        assert response.status_code == 200
        token = await world.token(world.alice, ["hood.partners.read"])
        response = await world.client.get(
            f"{OBJECTS}/{created['id']}", headers=world.alice.headers(token)
        )
        assert_crm_error(response, 403, "MISSING_SCOPES")


class TestList:
    async def test_cursor_paging_omits_paging_on_last_page(self, world: World) -> None:
        await define_seed(world, world.alice)
        ids = [(await create(world, world.alice, property_number=str(i)))["id"] for i in range(5)]
        seen: list[str] = []
        after = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 2, "properties": "property_number"}
            if after:
                params["after"] = after
            response = await world.client.get(OBJECTS, params=params, headers=world.alice.headers())
            assert response.status_code == 200, response.text
            body = response.json()
            pages += 1
            seen += [r["id"] for r in body["results"]]
            if "paging" not in body:
                break
            after = body["paging"]["next"]["after"]
            assert "after=" in body["paging"]["next"]["link"]
        assert seen == ids and pages == 3

    async def test_limit_is_clamped_to_100_and_default_is_10(self, world: World) -> None:
        for _ in range(12):
            await create(world, world.alice)
        default = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert len(default.json()["results"]) == 10
        big = await world.client.get(OBJECTS, params={"limit": 500}, headers=world.alice.headers())
        assert big.status_code == 200 and len(big.json()["results"]) == 12
        assert "paging" not in big.json()
        bad = await world.client.get(OBJECTS, params={"limit": "x"}, headers=world.alice.headers())
        assert_crm_error(bad, 400, "VALIDATION_ERROR")

    async def test_only_own_objects(self, world: World) -> None:
        await create(world, world.alice)
        response = await world.client.get(OBJECTS, headers=world.bob.headers())
        assert response.json() == {"results": []}


class TestArchive:
    async def test_archive_hides_until_listed_archived_and_restore(self, world: World) -> None:
        created = await create(world, world.alice)
        oid = created["id"]
        response = await world.client.delete(f"{OBJECTS}/{oid}", headers=world.alice.headers())
        assert response.status_code == 204 and response.content == b""
        assert_crm_error(
            await world.client.get(f"{OBJECTS}/{oid}", headers=world.alice.headers()),
            404,
            "OBJECT_NOT_FOUND",
        )
        assert_crm_error(await _patch(world, oid, {}), 404, "OBJECT_NOT_FOUND")
        listed = await world.client.get(
            OBJECTS, params={"archived": "True"}, headers=world.alice.headers()
        )
        [item] = listed.json()["results"]
        assert item["id"] == oid and item["archived"] is True
        assert ISO_MS.fullmatch(item["archivedAt"])
        active = await world.client.get(
            OBJECTS, params={"archived": "FALSE"}, headers=world.alice.headers()
        )
        assert active.json() == {"results": []}
        got = await read(world, world.alice, oid, archived="true")
        assert got["archived"] is True
        restored = await world.client.post(
            f"{OBJECTS}/{oid}/restore", headers=world.alice.headers()
        )
        assert restored.status_code == 200 and restored.json()["archived"] is False
        assert (await read(world, world.alice, oid))["archived"] is False

    async def test_if_match_on_delete(self, world: World) -> None:
        created = await create(world, world.alice)
        response = await world.client.delete(
            f"{OBJECTS}/{created['id']}", headers=world.alice.headers(**{"If-Match": '"9"'})
        )
        assert_crm_error(response, 412, "CONFLICT")

    async def test_foreign_object_is_404(self, world: World) -> None:
        created = await create(world, world.alice)
        response = await world.client.delete(
            f"{OBJECTS}/{created['id']}", headers=world.bob.headers()
        )
        assert_crm_error(response, 404, "OBJECT_NOT_FOUND")


class TestHistoryRoute:
    async def test_history_lists_changes_newest_first(self, world: World) -> None:
        await define_seed(world, world.alice)
        created = await create(world, world.alice, property_number="1")
        await _patch(world, created["id"], {"property_number": "2"})
        await world.client.delete(f"{OBJECTS}/{created['id']}", headers=world.alice.headers())
        response = await world.client.get(
            f"{OBJECTS}/{created['id']}/history", headers=world.alice.headers()
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == 3
        assert [e["action"] for e in body["results"]] == ["archive", "update", "create"]
        assert body["results"][1]["changes"] == {"property_number": {"old": "1", "new": "2"}}
        assert body["results"][0]["surface"] == "crm"
        foreign = await world.client.get(
            f"{OBJECTS}/{created['id']}/history", headers=world.bob.headers()
        )
        assert_crm_error(foreign, 404, "OBJECT_NOT_FOUND")


class TestConcurrentUpdates:
    async def test_concurrent_patches_of_different_properties_all_survive(
        self, world: World
    ) -> None:
        names = [f"field_{i}" for i in range(6)]
        await define(
            world,
            world.alice,
            *({"name": n, "label": n, "type": "string", "fieldType": "text"} for n in names),
        )
        created = await create(world, world.alice)
        responses = await asyncio.gather(
            *(_patch(world, created["id"], {n: f"v{i}"}) for i, n in enumerate(names))
        )
        assert all(r.status_code == 200 for r in responses)
        got = await read(world, world.alice, created["id"], properties=",".join(names))
        assert got["properties"] == {n: f"v{i}" for i, n in enumerate(names)}
        assert (
            await world.client.get(f"{OBJECTS}/{created['id']}", headers=world.alice.headers())
        ).headers["etag"] == '"7"'
