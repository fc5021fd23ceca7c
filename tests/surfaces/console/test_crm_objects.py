"""The console's CRM objects: the table of chosen properties, an object's page with property
history, editing, creating, archiving; scopes, tenancy, CSRF and hostile input."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness import World
from surfaces.console.kit import Console, SignIn, errors_of, text_of
from surfaces.crm.kit import OBJECTS, create, define, define_seed, read

PAGE = "/console/crm/objects"
WRITE = ["crm.objects.partner-clients.write"]


def _row_ids(page: str) -> list[str]:
    return re.findall(r'<tr id="object-(\d+)"', page)


async def _history(world: World, object_id: str) -> list[dict[str, Any]]:
    response = await world.client.get(
        f"{OBJECTS}/{object_id}/history", headers=world.alice.headers()
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


async def _seeded(world: World, **values: str) -> str:
    await define_seed(world, world.alice)
    created = await create(world, world.alice, **values)
    object_id: str = created["id"]
    return object_id


class TestList:
    async def test_the_table_shows_the_chosen_properties(
        self, world: World, console: Console
    ) -> None:
        oid = await _seeded(world, property_string="Acme", property_number="17")
        default = await console.get(PAGE)
        assert default.status_code == 200
        assert _row_ids(default.text) == [oid]
        assert "Record ID" in text_of(default.text) and "Acme" not in text_of(default.text)
        chosen = await console.get(PAGE, properties=["property_string", "property_number", "nope"])
        html = chosen.text
        assert re.search(r'<th scope="col">String <code>property_string</code></th>', html)
        assert "Record ID" not in text_of(html.split("<table", 1)[1])
        assert re.search(
            r'id="col-property_string" name="properties" value="property_string" checked', html
        )
        assert not re.search(r'id="col-property_date"[^>]* checked', html)
        row = re.search(rf'<tr id="object-{oid}">(.*?)</tr>', html, re.S)
        assert row and text_of(row.group(1)) == f"{oid} Acme 17"
        assert f'href="{PAGE}/{oid}"' in html

    async def test_paging_follows_the_api_cursor(self, world: World, console: Console) -> None:
        ids = [(await create(world, world.alice))["id"] for _ in range(3)]
        first = await console.get(PAGE, limit="2", properties="hs_object_id")
        assert _row_ids(first.text) == ids[:2]
        following = re.search(r'<a rel="next" href="([^"]+)" id="next-page">', first.text)
        assert following
        link = following.group(1).replace("&amp;", "&")
        assert "properties=hs_object_id" in link and "limit=2" in link
        second = await console.get(link)
        assert _row_ids(second.text) == ids[2:]
        assert 'id="next-page"' not in second.text and 'id="first-page"' in second.text

    @pytest.mark.parametrize(
        "query",
        [{"after": "²"}, {"after": "x"}, {"limit": "0"}, {"limit": "²"}, {"archived": "maybe"}],
    )
    async def test_bad_query_values_are_422(self, console: Console, query: dict[str, str]) -> None:
        response = await console.get(PAGE, **query)
        assert response.status_code == 422
        assert "must" in text_of(response.text)

    async def test_archived_objects_are_listed_apart(self, world: World, console: Console) -> None:
        kept = (await create(world, world.alice))["id"]
        gone = (await create(world, world.alice))["id"]
        deleted = await world.client.delete(f"{OBJECTS}/{gone}", headers=world.alice.headers())
        assert deleted.status_code == 204
        assert _row_ids((await console.get(PAGE)).text) == [kept]
        assert _row_ids((await console.get(PAGE, archived="true")).text) == [gone]


class TestObjectPage:
    async def test_every_property_with_its_history_and_the_timeline(
        self, world: World, console: Console
    ) -> None:
        oid = await _seeded(world, property_string="first", property_date="2019-10-31")
        patched = await world.client.patch(
            f"{OBJECTS}/{oid}",
            json={"properties": {"property_string": "second"}},
            headers=world.alice.headers(),
        )
        assert patched.status_code == 200
        page = await console.get(f"{PAGE}/{oid}")
        assert page.status_code == 200
        html = page.text
        row = re.search(r'<tr id="value-property_string">(.*?)</tr>', html, re.S)
        assert row
        text = text_of(row.group(1))
        assert text.startswith("String property_string second 2 values second")
        assert text.index("second ·") < text.index("first ·")
        date_row = re.search(r'<tr id="value-property_date">(.*?)</tr>', html, re.S)
        assert date_row and "2019-10-31" in text_of(date_row.group(1))
        date_input = 'name="properties.property_date" type="date" value="2019-10-31"'
        assert f'id="f-properties-property_date" {date_input}' in html
        timeline = text_of(html.split('id="history-heading"', 1)[1])
        assert "(2 changes)" in timeline and "via crm" in timeline

    async def test_an_edit_reaches_the_api_and_history_says_console(
        self, world: World, console: Console
    ) -> None:
        oid = await _seeded(world, property_string="old", property_multiple_checkboxes="vanilla")
        await console.get(f"{PAGE}/{oid}")
        response = await console.post(
            f"{PAGE}/{oid}",
            {
                "version": "1",
                "properties.property_string": "new",
                "properties.property_number": "4.2e1",
                "properties.property_multiple_checkboxes": ["", "chocolate", "vanilla"],
                "properties.property_dropdown": "choice_a",
                "properties.property_date": "2020-01-31",
            },
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"{PAGE}/{oid}?done=saved"
        shown = (
            await read(
                world,
                world.alice,
                oid,
                properties="property_string,property_number,property_multiple_checkboxes,"
                "property_dropdown,property_date",
            )
        )["properties"]
        assert shown["property_string"] == "new" and shown["property_number"] == "4.2e1"
        assert shown["property_multiple_checkboxes"] == "chocolate;vanilla"
        assert shown["property_dropdown"] == "choice_a"
        assert shown["property_date"] == "1580428800000"
        [latest, _] = await _history(world, oid)
        assert latest["surface"] == "console"
        assert latest["changes"]["property_string"] == {"old": "old", "new": "new"}
        page = await console.get(f"{PAGE}/{oid}?done=saved")
        assert "Saved." in text_of(page.text) and "via console" in text_of(page.text)

    async def test_emptied_inputs_clear_and_untouched_ones_write_nothing(
        self, world: World, console: Console
    ) -> None:
        # Stored in another order than the options': the form shows it in theirs.
        oid = await _seeded(
            world, property_string="x", property_multiple_checkboxes="vanilla;chocolate"
        )
        page = await console.get(f"{PAGE}/{oid}")
        # An empty twin goes first, so that a browser ticking no box still sends the field.
        twin = '<input type="hidden" name="properties.property_multiple_checkboxes" value="">'
        assert page.text.index(twin) < page.text.index(
            'name="properties.property_multiple_checkboxes" value="chocolate"'
        )
        untouched = await console.post(
            f"{PAGE}/{oid}",
            {
                "properties.property_string": "x",
                "properties.property_multiple_checkboxes": ["", "chocolate", "vanilla"],
                "properties.property_number": "",
            },
        )
        assert untouched.status_code == 303
        assert len(await _history(world, oid)) == 1
        cleared = await console.post(
            f"{PAGE}/{oid}",
            {"properties.property_string": "", "properties.property_multiple_checkboxes": ""},
        )
        assert cleared.status_code == 303
        shown = (
            await read(
                world, world.alice, oid, properties="property_string,property_multiple_checkboxes"
            )
        )["properties"]
        assert shown == {"property_string": None, "property_multiple_checkboxes": None}

    async def test_bad_values_get_hubspots_messages_and_nothing_changes(
        self, world: World, console: Console
    ) -> None:
        oid = await _seeded(world, property_string="keep")
        bad = {
            "property_number": "abc",
            "property_date": "31/01/2020",
            "property_dropdown": "choice_z",
            "property_checkbox": "maybe",
            "property_datetime_unknown": "x",
        }
        api = await world.client.patch(
            f"{OBJECTS}/{oid}",
            json={"properties": {k: v for k, v in bad.items() if "unknown" not in k}},
            headers=world.alice.headers(),
        )
        assert api.status_code == 400
        expected = {
            item["context"]["propertyName"][0]: item["message"] for item in api.json()["errors"]
        }
        await console.get(f"{PAGE}/{oid}")
        response = await console.post(
            f"{PAGE}/{oid}",
            {
                "version": "1",
                **{f"properties.{k}": v for k, v in bad.items()},
                "properties.property_string": "changed",
            },
        )
        assert response.status_code == 422
        for name, message in expected.items():
            assert message in errors_of(response.text, f"properties.{name}"), name
        assert "selected>choice_z (not an option)</option>" in response.text
        assert 'value="changed"' in response.text  # what was typed is shown again
        assert len(await _history(world, oid)) == 1

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("property_number", "²", "² was not a valid number"),
            ("property_number", "1e999", "out of range"),
            ("property_string", "x" * 65_537, "longer than 65536 characters"),
            ("property_date", "2019-10-31T01:00:00Z", "is not a valid date"),
        ],
    )
    async def test_hostile_values_are_refused_by_field(
        self, world: World, console: Console, name: str, value: str, message: str
    ) -> None:
        oid = await _seeded(world)
        await console.get(f"{PAGE}/{oid}")
        response = await console.post(f"{PAGE}/{oid}", {f"properties.{name}": value})
        assert response.status_code == 422
        assert message in errors_of(response.text, f"properties.{name}")
        assert len(await _history(world, oid)) == 1

    async def test_a_bad_or_stale_version_is_refused(self, world: World, console: Console) -> None:
        oid = await _seeded(world, property_string="a")
        await console.get(f"{PAGE}/{oid}")
        form = {"properties.property_string": "b"}
        bad = await console.post(f"{PAGE}/{oid}", {**form, "version": "²"})
        assert bad.status_code == 422
        assert "version must be the version the form was loaded with." in text_of(bad.text)
        stale = await console.post(f"{PAGE}/{oid}", {**form, "version": "7"})
        assert stale.status_code == 412
        assert "This partner client was changed since this form was loaded" in text_of(stale.text)
        assert len(await _history(world, oid)) == 1

    async def test_a_taken_unique_value_is_named_next_to_its_field(
        self, world: World, console: Console
    ) -> None:
        await define(
            world,
            world.alice,
            {
                "name": "code",
                "label": "Code",
                "type": "string",
                "fieldType": "text",
                "hasUniqueValue": True,
            },
        )
        first = (await create(world, world.alice, code="A-1"))["id"]
        second = (await create(world, world.alice, code="B-2"))["id"]
        await console.get(f"{PAGE}/{second}")
        response = await console.post(f"{PAGE}/{second}", {"properties.code": "A-1"})
        assert response.status_code == 409
        assert f"Existing ID: {first}" in errors_of(response.text, "properties.code")

    async def test_post_without_csrf_is_refused(self, world: World, console: Console) -> None:
        oid = await _seeded(world, property_string="a")
        await console.get(f"{PAGE}/{oid}")
        for path in (f"{PAGE}/{oid}", f"{PAGE}/{oid}/archive", PAGE):
            response = await console.post(path, {"properties.property_string": "b"}, csrf=False)
            assert response.status_code == 403, path
        assert len(await _history(world, oid)) == 1
        assert _row_ids((await console.get(PAGE)).text) == [oid]


class TestCreateAndArchive:
    async def test_create_sends_the_filled_fields(self, world: World, console: Console) -> None:
        await define_seed(world, world.alice)
        form = await console.get(f"{PAGE}/new")
        assert form.status_code == 200
        assert 'for="f-properties-property_string"' in form.text
        assert 'id="f-properties-property_multiple_checkboxes-0"' in form.text
        response = await console.post(
            PAGE,
            {
                "properties.property_string": "Acme",
                "properties.property_number": "",
                "properties.property_multiple_checkboxes": [""],
            },
        )
        assert response.status_code == 303, response.text
        found = re.fullmatch(rf"{PAGE}/(\d+)\?done=created", response.headers["location"])
        assert found
        created = await read(
            world, world.alice, found.group(1), properties="property_string,property_number"
        )
        assert created["properties"] == {"property_string": "Acme", "property_number": None}
        [entry] = await _history(world, found.group(1))
        assert entry["surface"] == "console" and "property_number" not in entry["changes"]

    async def test_a_bad_create_creates_nothing(self, world: World, console: Console) -> None:
        await define_seed(world, world.alice)
        await console.get(f"{PAGE}/new")
        response = await console.post(PAGE, {"properties.property_checkbox": "perhaps"})
        assert response.status_code == 422
        assert "perhaps was not a valid boolean" in errors_of(
            response.text, "properties.property_checkbox"
        )
        listed = await world.client.get(OBJECTS, headers=world.alice.headers())
        assert listed.json()["results"] == []

    async def test_archive_and_restore(self, world: World, console: Console) -> None:
        oid = await _seeded(world, property_string="a")
        await console.get(f"{PAGE}/{oid}")
        archived = await console.post(f"{PAGE}/{oid}/archive")
        assert archived.status_code == 303
        assert archived.headers["location"] == f"{PAGE}/{oid}?done=archived"
        api = await world.client.get(f"{OBJECTS}/{oid}", headers=world.alice.headers())
        assert api.status_code == 404
        page = await console.get(f"{PAGE}/{oid}")
        assert 'id="archived-badge"' in page.text and 'id="restore-button"' in page.text
        assert 'id="object-form"' not in page.text
        assert "archive" in text_of(page.text.split('id="history-heading"', 1)[1])
        edit = await console.post(f"{PAGE}/{oid}", {"properties.property_string": "b"})
        assert edit.status_code == 404
        restored = await console.post(f"{PAGE}/{oid}/restore")
        assert restored.headers["location"] == f"{PAGE}/{oid}?done=unarchived"
        assert (await read(world, world.alice, oid))["archived"] is False


class TestScopesAndTenancy:
    async def test_without_an_objects_scope_the_area_is_disabled_and_403(
        self, world: World, console_as: SignIn
    ) -> None:
        oid = await _seeded(world, property_string="a")
        console = await console_as(await world.token(world.alice, ["partners.read"]))
        home = await console.get("/console")
        assert re.search(
            r'<span class="disabled" aria-disabled="true"[^>]*>CRM partner clients', home.text
        )
        for path in (PAGE, f"{PAGE}/{oid}", f"{PAGE}/new"):
            assert (await console.get(path)).status_code == 403, path
        for path in (PAGE, f"{PAGE}/{oid}", f"{PAGE}/{oid}/archive"):
            response = await console.post(path, {"properties.property_string": "b"})
            assert response.status_code == 403, path
        assert len(await _history(world, oid)) == 1

    async def test_a_read_only_token_sees_no_form_and_cannot_post(
        self, world: World, console_as: SignIn
    ) -> None:
        oid = await _seeded(world, property_string="a")
        console = await console_as(
            await world.token(world.alice, ["crm.objects.partner-clients.read"])
        )
        listed = await console.get(PAGE)
        assert 'id="new-object"' not in listed.text
        page = await console.get(f"{PAGE}/{oid}")
        assert page.status_code == 200 and 'id="read-only"' in page.text
        assert 'id="object-form"' not in page.text and 'id="archive-button"' not in page.text
        assert (await console.get(f"{PAGE}/new")).status_code == 403
        response = await console.post(f"{PAGE}/{oid}", {"properties.property_string": "b"})
        assert response.status_code == 403
        assert (await console.post(f"{PAGE}/{oid}/archive")).status_code == 403
        assert len(await _history(world, oid)) == 1

    async def test_another_accounts_and_malformed_ids_are_unknown(
        self, world: World, console: Console
    ) -> None:
        await define_seed(world, world.bob)
        bob = await world.client.post(
            OBJECTS, json={"properties": {"property_string": "bob"}}, headers=world.bob.headers()
        )
        bob_id = bob.json()["id"]
        await console.get(PAGE)
        for oid in (bob_id, "²", "abc", "1" * 30, "-1"):
            assert (await console.get(f"{PAGE}/{oid}")).status_code == 404, oid
            edit = await console.post(f"{PAGE}/{oid}", {"properties.property_string": "x"})
            assert edit.status_code == 404, oid
            assert (await console.post(f"{PAGE}/{oid}/archive")).status_code == 404, oid
        still = await world.client.get(
            f"{OBJECTS}/{bob_id}",
            params={"properties": "property_string"},
            headers=world.bob.headers(),
        )
        assert still.json()["properties"]["property_string"] == "bob"
