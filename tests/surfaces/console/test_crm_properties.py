"""The console's CRM property definitions: groups and properties listed, created, changed and
archived through the CRM services; scopes, tenancy, CSRF and hostile input."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness import World
from surfaces.console.kit import Console, SignIn, errors_of, text_of
from surfaces.crm.kit import PROPERTIES, create, define, define_seed

PAGE = "/console/crm/properties"
GROUPS = f"{PAGE}/groups"


async def _api_property(world: World, name: str) -> dict[str, Any]:
    response = await world.client.get(f"{PROPERTIES}/{name}", headers=world.alice.headers())
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _enumeration(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "name": "tier",
        "label": "Tier",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "partner_client_information",
        "description": "",
        "hasUniqueValue": "false",
        "hidden": "false",
        "formField": ["false", "true"],
        "displayOrder": "",
        "options.0.value": "gold",
        "options.0.label": "Gold",
        "options.1.value": "",
        "options.1.label": "",
        "options.2.value": "silver",
        "options.2.label": "Silver",
        "options.2.hidden": "true",
    }
    form.update(overrides)
    return form


class TestList:
    async def test_groups_and_properties_with_their_options(
        self, world: World, console: Console
    ) -> None:
        await define_seed(world, world.alice)
        page = await console.get(PAGE)
        assert page.status_code == 200
        html = page.text
        assert 'id="group-partner_client_information"' in html
        row = re.search(r'<tr id="property-property_dropdown">(.*?)</tr>', html, re.S)
        assert row
        assert text_of(row.group(1)) == (
            "property_dropdown Dropdown enumeration select partner_client_information "
            "Choice A choice_a , Choice B choice_b"
        )
        assert 'id="property-hs_object_id"' in html and "built-in, read-only" in text_of(html)
        group = re.search(r'<tr id="group-partner_client_information">(.*?)</tr>', html, re.S)
        assert group and text_of(group.group(1)).endswith(" 7")
        assert 'id="new-property"' in html and 'id="new-group"' in html


class TestProperties:
    async def test_create_reaches_the_api_and_its_history_says_console(
        self, world: World, console: Console
    ) -> None:
        form = await console.get(f"{PAGE}/new-property")
        assert form.status_code == 200 and 'for="f-options-0-value"' in form.text
        response = await console.post(PAGE, _enumeration())
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"{PAGE}/tier?done=created"
        created = await _api_property(world, "tier")
        assert created["type"] == "enumeration" and created["formField"] is True
        assert [(o["value"], o["label"], o["hidden"]) for o in created["options"]] == [
            ("gold", "Gold", False),
            ("silver", "Silver", True),
        ]
        page = await console.get(f"{PAGE}/tier")
        text = text_of(page.text)
        assert "History (1 change)" in text and "via console" in text

    async def test_bad_definitions_get_the_apis_messages(
        self, world: World, console: Console
    ) -> None:
        api = await world.client.post(
            PROPERTIES,
            json={"name": "Bad Name", "label": "x", "type": "string", "fieldType": "text"},
            headers=world.alice.headers(),
        )
        assert api.status_code == 400
        [api_error] = api.json()["errors"]
        await console.get(f"{PAGE}/new-property")
        cases: list[tuple[dict[str, Any], str, str]] = [
            (
                {"name": "Bad Name", "type": "string", "fieldType": "text"},
                "name",
                api_error["message"],
            ),
            (
                {
                    "options.0.value": "",
                    "options.0.label": "",
                    "options.2.value": "",
                    "options.2.label": "",
                },
                "options",
                "options are required for enumeration properties.",
            ),
            (
                {"options.2.value": "gold"},
                "options.1.value",
                "Option value 'gold' appears more than once.",
            ),
            (
                {"options.0.label": ""},
                "options.0.label",
                "options.0.label must be at least 1 character(s) long.",
            ),
            ({"displayOrder": "²"}, "displayOrder", "displayOrder must be an integer."),
            ({"label": ""}, "label", "label is required."),
            ({"type": ""}, "type", "type is required."),
            ({"type": "wrong"}, "type", "type must be one of"),
            (
                {"fieldType": "text"},
                "fieldType",
                "fieldType text is not valid for type enumeration",
            ),
            ({"groupName": "nope"}, "groupName", "Property group 'nope' does not exist."),
            ({"name": "x" * 101}, "name", "name must be at most 100 characters long."),
        ]
        for overrides, field, message in cases:
            response = await console.post(PAGE, _enumeration(**overrides))
            assert response.status_code == 422, (overrides, response.text)
            assert message in errors_of(response.text, field), overrides
        listed = await world.client.get(PROPERTIES, headers=world.alice.headers())
        assert [p["name"] for p in listed.json()["results"] if not p["hubspotDefined"]] == []

    async def test_a_duplicate_name_is_a_conflict_on_the_name(
        self, world: World, console: Console
    ) -> None:
        await define_seed(world, world.alice)
        await console.get(f"{PAGE}/new-property")
        response = await console.post(PAGE, _enumeration(name="property_dropdown"))
        assert response.status_code == 409
        assert "already exists" in errors_of(response.text, "name")

    async def test_edit_changes_what_was_sent_and_nothing_else(
        self, world: World, console: Console
    ) -> None:
        await define_seed(world, world.alice)
        page = await console.get(f"{PAGE}/property_dropdown")
        assert 'id="property-form"' in page.text
        form = {
            "label": "Dropdown",
            "type": "enumeration",
            "fieldType": "select",
            "groupName": "partner_client_information",
            "description": "",
            "hidden": "false",
            "formField": ["false", "true"],
            "displayOrder": "-1",
            "options.0.value": "choice_a",
            "options.0.label": "Choice A",
            "options.0.displayOrder": "0",
            "options.1.value": "choice_b",
            "options.1.label": "Choice B",
            "options.1.displayOrder": "1",
        }
        unchanged = await console.post(f"{PAGE}/property_dropdown", form)
        assert unchanged.status_code == 303
        before = await _api_property(world, "property_dropdown")
        assert before["updatedAt"] == before["createdAt"]
        changed = await console.post(
            f"{PAGE}/property_dropdown",
            {
                **form,
                "label": "Choice",
                "options.5.value": "choice_c",
                "options.5.label": "Choice C",
            },
        )
        assert changed.status_code == 303
        assert changed.headers["location"] == f"{PAGE}/property_dropdown?done=saved"
        after = await _api_property(world, "property_dropdown")
        assert after["label"] == "Choice"
        assert [o["value"] for o in after["options"]] == ["choice_a", "choice_b", "choice_c"]
        text = text_of((await console.get(f"{PAGE}/property_dropdown")).text)
        assert "History (2 changes)" in text and "label Dropdown Choice" in text

    async def test_edit_refusals_are_shown_next_to_the_field(
        self, world: World, console: Console
    ) -> None:
        await define_seed(world, world.alice)
        await create(world, world.alice, property_string="held")
        await console.get(f"{PAGE}/property_string")
        base = {
            "label": "String",
            "type": "string",
            "fieldType": "text",
            "groupName": "partner_client_information",
        }
        in_use = await console.post(
            f"{PAGE}/property_string", {**base, "type": "number", "fieldType": "number"}
        )
        assert in_use.status_code == 422
        assert "cannot change while 1 object(s) hold a value" in errors_of(in_use.text, "type")
        empty = await console.post(f"{PAGE}/property_string", {**base, "label": ""})
        assert "label must be at least 1 character(s) long." in errors_of(empty.text, "label")
        order = await console.post(f"{PAGE}/property_string", {**base, "displayOrder": "9" * 30})
        assert order.status_code == 422
        assert "displayOrder" in errors_of(order.text, "displayOrder")
        assert (await _api_property(world, "property_string"))["label"] == "String"

    async def test_built_in_properties_are_read_only(self, world: World, console: Console) -> None:
        page = await console.get(f"{PAGE}/hs_object_id")
        assert page.status_code == 200
        assert 'id="property-form"' not in page.text and 'id="read-only"' in page.text
        response = await console.post(f"{PAGE}/hs_object_id", {"label": "Mine"})
        assert response.status_code == 422
        assert "defined by partnerhub and read-only" in text_of(response.text)

    async def test_archive(self, world: World, console: Console) -> None:
        await define_seed(world, world.alice)
        await console.get(f"{PAGE}/property_string")
        response = await console.post(f"{PAGE}/property_string/archive")
        assert response.status_code == 303
        assert response.headers["location"] == f"{PAGE}?done=archived"
        api = await world.client.get(f"{PROPERTIES}/property_string", headers=world.alice.headers())
        assert api.status_code == 404
        assert (await console.get(f"{PAGE}/property_string")).status_code == 404


class TestGroups:
    async def test_create_edit_and_archive_a_group(self, world: World, console: Console) -> None:
        await console.get(f"{GROUPS}/new-group")
        created = await console.post(
            GROUPS, {"name": "billing", "label": "Billing", "displayOrder": "2"}
        )
        assert created.status_code == 303, created.text
        assert created.headers["location"] == f"{GROUPS}/billing?done=created"
        saved = await console.post(
            f"{GROUPS}/billing", {"label": "Billing info", "displayOrder": "3"}
        )
        assert saved.status_code == 303
        api = await world.client.get(f"{PROPERTIES}/groups/billing", headers=world.alice.headers())
        assert api.json() == {
            "name": "billing",
            "label": "Billing info",
            "displayOrder": 3,
            "archived": False,
        }
        page = await console.get(f"{GROUPS}/billing")
        assert "History (2 changes)" in text_of(page.text) and "via console" in text_of(page.text)
        archived = await console.post(f"{GROUPS}/billing/archive")
        assert archived.status_code == 303
        gone = await world.client.get(f"{PROPERTIES}/groups/billing", headers=world.alice.headers())
        assert gone.status_code == 404

    async def test_group_refusals_are_shown(self, world: World, console: Console) -> None:
        await console.get(f"{GROUPS}/new-group")
        bad = await console.post(GROUPS, {"name": "Bad", "label": "", "displayOrder": "x"})
        assert bad.status_code == 422
        assert "displayOrder must be an integer." in errors_of(bad.text, "displayOrder")
        assert "label is required." in errors_of(bad.text, "label")
        made = await console.post(GROUPS, {"name": "archive", "label": "Named like a route"})
        assert made.status_code == 303
        # A group called "archive" is the group's page, not a property's archive route.
        saved = await console.post(f"{GROUPS}/archive", {"label": "Renamed", "displayOrder": "1"})
        assert saved.status_code == 303
        await define(
            world,
            world.alice,
            {
                "name": "held",
                "label": "H",
                "type": "string",
                "fieldType": "text",
                "groupName": "archive",
            },
        )
        in_use = await console.post(f"{GROUPS}/archive/archive")
        assert in_use.status_code == 422
        assert "still holds properties" in text_of(in_use.text)
        default = await console.post(f"{GROUPS}/partner_client_information/archive")
        assert default.status_code == 422
        assert "cannot be archived" in text_of(default.text)


class TestScopesAndTenancy:
    async def test_without_a_schemas_scope_the_area_is_disabled_and_403(
        self, world: World, console_as: SignIn
    ) -> None:
        console = await console_as(
            await world.token(world.alice, ["crm.objects.partner-clients.write"])
        )
        home = await console.get("/console")
        assert re.search(
            r'<span class="disabled" aria-disabled="true"[^>]*>CRM properties', home.text
        )
        for path in (
            PAGE,
            f"{PAGE}/new-property",
            f"{PAGE}/hs_object_id",
            f"{GROUPS}/partner_client_information",
        ):
            assert (await console.get(path)).status_code == 403, path
        for path in (PAGE, GROUPS, f"{PAGE}/x", f"{GROUPS}/x"):
            assert (await console.post(path, _enumeration())).status_code == 403, path

    async def test_a_read_only_token_sees_no_forms(self, world: World, console_as: SignIn) -> None:
        await define_seed(world, world.alice)
        console = await console_as(
            await world.token(world.alice, ["crm.schemas.partner-clients.read"])
        )
        listed = await console.get(PAGE)
        assert listed.status_code == 200 and 'id="new-property"' not in listed.text
        page = await console.get(f"{PAGE}/property_string")
        assert 'id="property-form"' not in page.text and 'id="read-only"' in page.text
        group = await console.get(f"{GROUPS}/partner_client_information")
        assert 'id="group-form"' not in group.text
        assert (await console.get(f"{PAGE}/new-property")).status_code == 403
        assert (await console.post(PAGE, _enumeration())).status_code == 403
        assert (await console.post(f"{PAGE}/property_string/archive")).status_code == 403

    @pytest.mark.parametrize("name", ["bob_only", "²", "x" * 300, "hs_nope"])
    async def test_another_accounts_and_unknown_names_are_unknown(
        self, world: World, console: Console, name: str
    ) -> None:
        await define(
            world,
            world.bob,
            {"name": "bob_only", "label": "Bob", "type": "string", "fieldType": "text"},
        )
        await world.client.post(
            f"{PROPERTIES}/groups",
            json={"name": "bob_only", "label": "B"},
            headers=world.bob.headers(),
        )
        await console.get(PAGE)
        for path in (f"{PAGE}/{name}", f"{GROUPS}/{name}"):
            assert (await console.get(path)).status_code == 404, path
            assert (await console.post(path, {"label": "Mine"})).status_code == 404, path
            assert (await console.post(f"{path}/archive")).status_code == 404, path
        bob = await world.client.get(f"{PROPERTIES}/bob_only", headers=world.bob.headers())
        assert bob.json()["label"] == "Bob"

    async def test_posts_without_csrf_are_refused(self, world: World, console: Console) -> None:
        await define_seed(world, world.alice)
        await console.get(PAGE)
        for path in (PAGE, GROUPS, f"{PAGE}/property_string", f"{PAGE}/property_string/archive"):
            response = await console.post(path, _enumeration(label="Forged"), csrf=False)
            assert response.status_code == 403, path
        assert (await _api_property(world, "property_string"))["label"] == "String"
        listed = await world.client.get(PROPERTIES, headers=world.alice.headers())
        assert "tier" not in [p["name"] for p in listed.json()["results"]]
