"""CRM property definitions and groups."""

from __future__ import annotations

from typing import Any

from crm.kit import (
    ISO_MS,
    OBJECTS,
    PROPERTIES,
    SCHEMAS_READ,
    SEED_PROPERTIES,
    assert_crm_error,
    create,
    define,
    define_seed,
)
from harness import World

GROUPS = f"{PROPERTIES}/groups"


async def _create(world: World, body: dict[str, Any]) -> Any:
    return await world.client.post(PROPERTIES, json=body, headers=world.alice.headers())


class TestPropertyCreate:
    async def test_seed_properties_are_created_201(self, world: World) -> None:
        response = await _create(world, SEED_PROPERTIES[2])
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["name"] == "property_dropdown" and body["type"] == "enumeration"
        assert body["fieldType"] == "select"
        assert body["groupName"] == "partner_client_information"
        assert [o["value"] for o in body["options"]] == ["choice_a", "choice_b"]
        assert body["options"][0] == {
            "label": "Choice A",
            "value": "choice_a",
            "description": "",
            "displayOrder": 0,
            "hidden": False,
        }
        assert body["hasUniqueValue"] is False and body["archived"] is False
        assert ISO_MS.fullmatch(body["createdAt"])
        assert body["modificationMetadata"] == {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        }

    async def test_rules_are_checked(self, world: World) -> None:
        bad = [
            {"name": "Bad Name", "label": "x", "type": "string", "fieldType": "text"},
            {"name": "hs_mine", "label": "x", "type": "string", "fieldType": "text"},
            {"name": "n", "label": "x", "type": "number", "fieldType": "text"},
            {"name": "n", "label": "x", "type": "colour", "fieldType": "text"},
            {"name": "n", "label": "x", "type": "enumeration", "fieldType": "select"},
            {
                "name": "n",
                "label": "x",
                "type": "string",
                "fieldType": "text",
                "groupName": "nowhere",
            },
            {
                "name": "n",
                "label": "x",
                "type": "enumeration",
                "fieldType": "select",
                "options": [{"label": "a", "value": "a"}, {"label": "b", "value": "a"}],
            },
            {"label": "x", "type": "string", "fieldType": "text"},
        ]
        for body in bad:
            assert_crm_error(await _create(world, body), 400, "VALIDATION_ERROR")
        listed = await world.client.get(PROPERTIES, headers=world.alice.headers())
        assert {p["name"] for p in listed.json()["results"]} == {
            "hs_object_id",
            "hs_createdate",
            "hs_lastmodifieddate",
        }

    async def test_every_field_type_of_reference_section_10(self, world: World) -> None:
        pairs = [
            ("bool", "booleancheckbox"),
            ("enumeration", "radio"),
            ("enumeration", "booleancheckbox"),
            ("date", "date"),
            ("datetime", "date"),
            ("string", "textarea"),
            ("string", "file"),
            ("string", "html"),
            ("string", "phonenumber"),
            ("number", "number"),
            ("number", "calculation_equation"),
            ("phone_number", "phonenumber"),
        ]
        for i, (type_, field_type) in enumerate(pairs):
            body: dict[str, Any] = {
                "name": f"p{i}",
                "label": "x",
                "type": type_,
                "fieldType": field_type,
            }
            if type_ == "enumeration":
                body["options"] = [{"label": "A", "value": "a"}]
            response = await _create(world, body)
            assert response.status_code == 201, (type_, field_type, response.text)

    async def test_duplicate_name_is_409(self, world: World) -> None:
        await define(world, world.alice, SEED_PROPERTIES[0])
        assert_crm_error(await _create(world, SEED_PROPERTIES[0]), 409, "CONFLICT")
        # Another account has its own namespace.
        await define(world, world.bob, SEED_PROPERTIES[0])

    async def test_schema_scopes(self, world: World) -> None:
        token = await world.token(world.alice, SCHEMAS_READ)
        response = await world.client.post(
            PROPERTIES, json=SEED_PROPERTIES[0], headers=world.alice.headers(token)
        )
        assert_crm_error(response, 403, "MISSING_SCOPES")
        listed = await world.client.get(PROPERTIES, headers=world.alice.headers(token))
        assert listed.status_code == 200
        objects_only = await world.token(world.alice, ["crm.objects.partner-clients.write"])
        response = await world.client.get(PROPERTIES, headers=world.alice.headers(objects_only))
        assert_crm_error(response, 403, "MISSING_SCOPES")


class TestPropertyRead:
    async def test_list_get_and_builtins(self, world: World) -> None:
        await define_seed(world, world.alice)
        listed = await world.client.get(
            PROPERTIES, params={"archived": "False"}, headers=world.alice.headers()
        )
        names = [p["name"] for p in listed.json()["results"]]
        assert names[:3] == ["hs_object_id", "hs_createdate", "hs_lastmodifieddate"]
        assert set(names[3:]) == {p["name"] for p in SEED_PROPERTIES}
        only = await world.client.get(
            PROPERTIES, params={"properties": "property_date"}, headers=world.alice.headers()
        )
        assert [p["name"] for p in only.json()["results"]] == ["property_date"]
        got = await world.client.get(f"{PROPERTIES}/hs_createdate", headers=world.alice.headers())
        assert got.json()["modificationMetadata"]["readOnlyValue"] is True
        assert got.json()["hubspotDefined"] is True
        missing = await world.client.get(f"{PROPERTIES}/nope", headers=world.alice.headers())
        assert_crm_error(missing, 404, "OBJECT_NOT_FOUND")
        foreign = await world.client.get(f"{PROPERTIES}/property_date", headers=world.bob.headers())
        assert_crm_error(foreign, 404, "OBJECT_NOT_FOUND")


class TestPropertyUpdate:
    async def test_label_options_and_group(self, world: World) -> None:
        await define_seed(world, world.alice)
        group = await world.client.post(
            GROUPS, json={"name": "billing", "label": "Billing"}, headers=world.alice.headers()
        )
        assert group.status_code == 201, group.text
        response = await world.client.patch(
            f"{PROPERTIES}/property_radio",
            json={
                "label": "Radio!",
                "groupName": "billing",
                "options": [
                    {"label": "One", "value": "option_1"},
                    {"label": "Three", "value": "option_3"},
                ],
            },
            headers=world.alice.headers(),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["label"] == "Radio!" and body["groupName"] == "billing"
        await create(world, world.alice, property_radio="option_3")

    async def test_type_change_refused_while_values_exist(self, world: World) -> None:
        await define_seed(world, world.alice)
        await create(world, world.alice, property_string="abc")
        response = await world.client.patch(
            f"{PROPERTIES}/property_string",
            json={"type": "number", "fieldType": "number"},
            headers=world.alice.headers(),
        )
        assert_crm_error(response, 400, "VALIDATION_ERROR")
        response = await world.client.patch(
            f"{PROPERTIES}/property_number",
            json={"type": "string", "fieldType": "text"},
            headers=world.alice.headers(),
        )
        assert response.status_code == 200, response.text

    async def test_unique_flag_and_builtins_are_read_only(self, world: World) -> None:
        await define_seed(world, world.alice)
        for path, body in (
            ("property_string", {"hasUniqueValue": True}),
            ("hs_object_id", {"label": "x"}),
            ("property_string", {}),
        ):
            response = await world.client.patch(
                f"{PROPERTIES}/{path}", json=body, headers=world.alice.headers()
            )
            assert_crm_error(response, 400, "VALIDATION_ERROR")


class TestPropertyArchive:
    async def test_archived_property_is_listed_archived_and_unwritable(self, world: World) -> None:
        await define_seed(world, world.alice)
        response = await world.client.delete(
            f"{PROPERTIES}/property_string", headers=world.alice.headers()
        )
        assert response.status_code == 204
        archived = await world.client.get(
            PROPERTIES, params={"archived": "true"}, headers=world.alice.headers()
        )
        assert [p["name"] for p in archived.json()["results"]] == ["property_string"]
        assert archived.json()["results"][0]["archived"] is True
        written = await world.client.post(
            OBJECTS, json={"properties": {"property_string": "x"}}, headers=world.alice.headers()
        )
        body = assert_crm_error(written, 400, "VALIDATION_ERROR")
        assert body["errors"][0]["code"] == "PROPERTY_DOESNT_EXIST"
        again = await world.client.delete(
            f"{PROPERTIES}/property_string", headers=world.alice.headers()
        )
        assert_crm_error(again, 404, "OBJECT_NOT_FOUND")


class TestGroups:
    async def test_default_group_create_patch_archive(self, world: World) -> None:
        listed = await world.client.get(GROUPS, headers=world.alice.headers())
        assert [g["name"] for g in listed.json()["results"]] == ["partner_client_information"]
        created = await world.client.post(
            GROUPS,
            json={"name": "billing", "label": "Billing", "displayOrder": 3},
            headers=world.alice.headers(),
        )
        assert created.status_code == 201
        assert created.json() == {
            "name": "billing",
            "label": "Billing",
            "displayOrder": 3,
            "archived": False,
        }
        dup = await world.client.post(
            GROUPS, json={"name": "billing", "label": "B"}, headers=world.alice.headers()
        )
        assert_crm_error(dup, 409, "CONFLICT")
        patched = await world.client.patch(
            f"{GROUPS}/billing", json={"label": "Invoices"}, headers=world.alice.headers()
        )
        assert patched.json()["label"] == "Invoices"
        await define(
            world,
            world.alice,
            {
                "name": "iban",
                "label": "IBAN",
                "type": "string",
                "fieldType": "text",
                "groupName": "billing",
            },
        )
        in_use = await world.client.delete(f"{GROUPS}/billing", headers=world.alice.headers())
        assert_crm_error(in_use, 400, "VALIDATION_ERROR")
        await world.client.delete(f"{PROPERTIES}/iban", headers=world.alice.headers())
        gone = await world.client.delete(f"{GROUPS}/billing", headers=world.alice.headers())
        assert gone.status_code == 204
        missing = await world.client.get(f"{GROUPS}/billing", headers=world.alice.headers())
        assert_crm_error(missing, 404, "OBJECT_NOT_FOUND")
        default = await world.client.delete(
            f"{GROUPS}/partner_client_information", headers=world.alice.headers()
        )
        assert_crm_error(default, 400, "VALIDATION_ERROR")
        assert (await world.client.get(GROUPS, headers=world.bob.headers())).json()["results"][0][
            "name"
        ] == "partner_client_information"


class TestAnotherAccount:
    async def test_properties_and_groups_of_another_account_are_unknown(self, world: World) -> None:
        await define(world, world.alice, SEED_PROPERTIES[0])
        name = SEED_PROPERTIES[0]["name"]
        created = await world.client.post(
            GROUPS, json={"name": "billing", "label": "Billing"}, headers=world.alice.headers()
        )
        assert created.status_code == 201, created.text
        bob = world.bob.headers()
        for response in (
            await world.client.patch(f"{PROPERTIES}/{name}", json={"label": "x"}, headers=bob),
            await world.client.delete(f"{PROPERTIES}/{name}", headers=bob),
            await world.client.get(f"{GROUPS}/billing", headers=bob),
            await world.client.patch(f"{GROUPS}/billing", json={"label": "x"}, headers=bob),
            await world.client.delete(f"{GROUPS}/billing", headers=bob),
        ):
            assert_crm_error(response, 404, "OBJECT_NOT_FOUND")
        prop = await world.client.get(f"{PROPERTIES}/{name}", headers=world.alice.headers())
        assert prop.json()["label"] == SEED_PROPERTIES[0]["label"]
        assert prop.json()["archived"] is False
        group = await world.client.get(f"{GROUPS}/billing", headers=world.alice.headers())
        assert group.json()["label"] == "Billing"


class TestDisplayOrderFitsItsColumn:
    """`displayOrder` is an Integer column (32 bits on PostgreSQL): beyond it is 400 naming
    the field on both databases, not a 500 on one and a stored value on the other."""

    async def test_out_of_range_display_order_is_refused_everywhere(self, world: World) -> None:
        h = world.alice.headers()
        too_big = 2**31
        property_body = {
            "name": "ordered",
            "label": "Ordered",
            "type": "string",
            "fieldType": "text",
            "groupName": "partner_client_information",
        }
        await define(world, world.alice, property_body)
        created = await world.client.post(GROUPS, json={"name": "g2", "label": "G2"}, headers=h)
        assert created.status_code == 201, created.text
        attempts = [
            world.client.post(
                GROUPS, json={"name": "g3", "label": "G3", "displayOrder": too_big}, headers=h
            ),
            world.client.patch(f"{GROUPS}/g2", json={"displayOrder": too_big}, headers=h),
            world.client.post(
                PROPERTIES,
                json={**property_body, "name": "other", "displayOrder": -too_big - 1},
                headers=h,
            ),
            world.client.patch(f"{PROPERTIES}/ordered", json={"displayOrder": too_big}, headers=h),
        ]
        for attempt in attempts:
            body = assert_crm_error(await attempt, 400, "VALIDATION_ERROR")
            assert "displayOrder" in str(body)
        fine = await world.client.patch(f"{GROUPS}/g2", json={"displayOrder": 2**31 - 1}, headers=h)
        assert fine.status_code == 200 and fine.json()["displayOrder"] == 2**31 - 1
