"""The console's Hood partners list (the API's list language) and its new-partner form."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness import World
from surfaces.console import hood_kit as k
from surfaces.console.kit import Console, SignIn, field_errors, text_of
from surfaces.hood.kit import partner_body

LIST = "/console/hood/partners"


def _ids(page: str) -> list[str]:
    return re.findall(r'<tr id="partner-(\d+)">', page)


async def _api_message(world: World, params: list[tuple[str, str]]) -> str:
    response = await world.client.get(
        "/v1/hood/partners", params=params, headers=world.alice.headers()
    )
    assert response.status_code == 400, response.text
    message: str = response.json()["message"]
    return message


async def _total(world: World) -> int:
    response = await world.client.get(
        "/v1/hood/partners", params={"archived": "in:0,1"}, headers=world.alice.headers()
    )
    count: int = response.json()["total"]
    return count


class TestList:
    async def test_rows_link_to_the_partner_page(self, world: World, console: Console) -> None:
        pid = await k.partner(world, name="Alpha Hair")
        page = await console.get(LIST)
        assert page.status_code == 200
        assert f'<a href="/console/hood/partners/{pid}">Alpha Hair</a>' in page.text
        assert "Alpha Hair publisher active alice manager 0 no" in k.row(
            page.text, f"partner-{pid}"
        )
        assert '<label for="f-filter">Filter expression</label>' in page.text

    async def test_search_status_type_and_sort(self, world: World, console: Console) -> None:
        alpha = await k.partner(world, name="Alpha", status="active")
        beta = await k.partner(world, name="Beta", status="inactive", type=["advertiser"])
        gamma = await k.partner(world, name="Gamma", status="inactive")
        assert _ids((await console.get(LIST, q="alp")).text) == [alpha]
        assert _ids((await console.get(LIST, status="inactive")).text) == [beta, gamma]
        assert _ids((await console.get(LIST, type="advertiser")).text) == [beta]
        assert _ids((await console.get(LIST, sort="-name")).text) == [gamma, beta, alpha]
        shown = await console.get(LIST, status="inactive", sort="-name")
        assert 'value="-name" selected' in shown.text
        assert 'value="inactive" selected' in shown.text

    async def test_the_filter_expression_speaks_the_list_language(
        self, world: World, console: Console
    ) -> None:
        alpha = await k.partner(world, name="Alpha", status="active")
        beta = await k.partner(world, name="Beta", status="pending")
        await k.partner(world, name="Gamma", status="suspended")
        page = await console.get(LIST, filter=f"status=in:active,pending & id=lte:{beta}")
        assert _ids(page.text) == [alpha, beta]
        page = await console.get(LIST, filter=f"id=neq:{alpha}&status=nin:suspended")
        assert _ids(page.text) == [beta]

    async def test_archived_partners_are_shown_when_asked(
        self, world: World, console: Console
    ) -> None:
        kept = await k.partner(world, name="Kept")
        gone = await k.partner(world, name="Gone")
        archived = await world.client.post(
            f"/v1/hood/partners/{gone}/archive", headers=world.alice.headers()
        )
        assert archived.status_code == 204
        assert _ids((await console.get(LIST)).text) == [kept]
        page = await console.get(LIST, archived="1")
        assert _ids(page.text) == [gone]
        assert "Gone publisher active alice manager 0 archived" in k.row(
            page.text, f"partner-{gone}"
        )
        both = await console.get(LIST, archived="in:0,1")
        assert _ids(both.text) == [kept, gone]
        assert "Gone publisher active alice manager 0 archived" in k.row(
            both.text, f"partner-{gone}"
        )

    async def test_pages(self, world: World, console: Console) -> None:
        made = [await k.partner(world, name=f"P{i}") for i in range(3)]
        first = await console.get(LIST, per_page="2")
        assert _ids(first.text) == made[:2]
        assert "page 1 of 2 · 3 in all" in text_of(first.text)
        link = re.search(r'<a rel="next" href="([^"]+)">', first.text)
        assert link, first.text
        second = await console.get(link.group(1).replace("&amp;", "&"))
        assert _ids(second.text) == made[2:]

    @pytest.mark.parametrize(
        ("params", "field", "api"),
        [
            ({"filter": "nope=1"}, "filter", [("nope", "1")]),
            ({"filter": "status=zz:active"}, "filter", [("status", "zz:active")]),
            ({"filter": "name=gt:a"}, "filter", [("name", "gt:a")]),
            ({"filter": "create_time=gte:yesterday"}, "filter", [("create_time", "gte:yesterday")]),
            ({"filter": "id=²"}, "filter", [("id", "²")]),
            ({"filter": "name=" + "x" * 1001}, "filter", [("name", "x" * 1001)]),
            ({"status": "bogus"}, "status", [("status", "bogus")]),
            ({"type": "robot"}, "type", [("type", "robot")]),
            ({"archived": "2"}, "archived", [("archived", "2")]),
            ({"sort": "-nope"}, "sort", [("sort", "-nope")]),
            ({"sort": "description"}, "sort", [("sort", "description")]),
            ({"q": "x" * 1001}, "q", [("q", "x" * 1001)]),
            ({"per_page": "²"}, "per_page", [("page", "1,²")]),
            ({"per_page": "101"}, "per_page", [("page", "1,101")]),
            ({"page": "0"}, "per_page", [("page", "0,20")]),
        ],
    )
    async def test_a_bad_filter_shows_the_apis_message_next_to_its_field(
        self,
        world: World,
        console: Console,
        params: dict[str, str],
        field: str,
        api: list[tuple[str, str]],
    ) -> None:
        await k.partner(world)
        page = await console.get(LIST, **params)
        assert page.status_code == 422
        assert field_errors(page.text, field) == [await _api_message(world, api)]
        assert '<form method="get" action="/console/hood/partners"' in page.text
        assert _ids(page.text) == []

    async def test_an_expression_item_without_equals_is_named(self, console: Console) -> None:
        page = await console.get(LIST, filter="status")
        assert page.status_code == 422
        assert field_errors(page.text, "filter") == [
            "'status' is not a filter: write field=[op:]value, joined by &."
        ]

    async def test_another_accounts_partners_are_not_listed(
        self, world: World, console: Console
    ) -> None:
        await k.partner(world, world.bob, name="Bob's own")
        assert "Bob's own" not in (await console.get(LIST, archived="in:0,1")).text

    async def test_without_the_scope_the_area_is_closed(
        self, world: World, console_as: SignIn
    ) -> None:
        console = await console_as(await world.token(world.alice, ["hood.deals.read"]))
        home = await console.get("/console")
        assert 'aria-disabled="true" title="Needs the scope hood.partners.read or ' in home.text
        for path, scope in (
            (LIST, "hood.partners.read or hood.partners.write"),
            (f"{LIST}/new", "hood.partners.write"),
        ):
            response = await console.get(path)
            assert response.status_code == 403
            assert f"This token lacks the scope: {scope}." in text_of(response.text)


class TestCreate:
    def _form(self, world: World, **overrides: Any) -> dict[str, Any]:
        return {
            "name": "Console Co",
            "description": "",
            "type": ["", "publisher"],
            "status": "pending",
            "manager_ids": ["", world.alice.member_ids[1]],
            "contact.email": "team@console.example",
            "contact.phone": "",
            "payment_terms.payment_frequency": "",
            "payment_terms.payment_method": "",
            "payment_terms.net_terms": "",
            "payment_terms.currency_code": "",
            "billing_address.street": "",
            "billing_address.city": "",
            "billing_address.post_code": "",
            "billing_address.country": "",
            **overrides,
        }

    async def test_creates_through_the_api_mapping(self, world: World, console: Console) -> None:
        form = await console.get(f"{LIST}/new")
        assert form.status_code == 200
        assert '<label for="f-name">Name' in form.text
        response = await console.post(LIST, self._form(world, **{"billing_address.country": ""}))
        assert response.status_code == 303, text_of(response.text)
        pid = response.headers["location"].split("/")[-1].split("?")[0]
        assert response.headers["location"] == f"{LIST}/{pid}?done=created"
        created = await k.api(world, f"partners/{pid}")
        assert created["name"] == "Console Co"
        assert created["status"] == "pending"
        assert created["manager_ids"] == [world.alice.member_ids[1]]
        assert created["contact"] == {"email": "team@console.example"}
        assert created["description"] is None and created["billing_address"] is None
        (entry,) = await k.api_history(world, f"partners/{pid}")
        assert entry["surface"] == "console" and entry["action"] == "create"
        page = await console.get(f"{LIST}/{pid}?done=created")
        assert "Created." in text_of(page.text)
        assert k.timeline_surfaces(page.text) == ["console"]

    async def test_full_terms_and_address(self, world: World, console: Console) -> None:
        body = partner_body(world.alice)
        terms = {f"payment_terms.{k}": v for k, v in body["payment_terms"].items()}
        address = {f"billing_address.{k}": v for k, v in body["billing_address"].items()}
        response = await console.post(LIST, self._form(world, **terms, **address))
        assert response.status_code == 303, text_of(response.text)
        pid = response.headers["location"].split("/")[-1].split("?")[0]
        created = await k.api(world, f"partners/{pid}")
        assert created["payment_terms"] == body["payment_terms"]
        assert created["billing_address"] == body["billing_address"]

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"name": ""}, "name", "name is required."),
            ({"name": "   "}, "name", "name must not be blank."),
            ({"name": "x" * 256}, "name", "name must be at most 255 characters."),
            ({"description": "d" * 2001}, "description", "description must be at most 2000"),
            ({"type": [""]}, "type", "type must have at least 1 item(s)."),
            ({"type": ["", "robot"]}, "type", "type.0 must be one of advertiser, publisher."),
            ({"status": ""}, "status", "status is required."),
            ({"status": "sleeping"}, "status", "status must be one of active, inactive"),
            ({"manager_ids": [""]}, "manager_ids", "manager_ids must have at least 1 item(s)."),
            ({"manager_ids": ["", "²"]}, "manager_ids", "manager_ids.0 must hold member ids"),
            ({"manager_ids": ["", "999999"]}, "manager_ids", "unknown: 999999."),
            ({"contact.email": "not-an-address"}, "contact.email", "contact.email"),
            ({"contact.phone": "12"}, "contact.phone", "contact.phone"),
            (
                {"billing_address.city": "Split"},
                "billing_address.street",
                "billing_address.street is required once any field of billing_address is given.",
            ),
            (
                {"payment_terms.net_terms": "net7"},
                "payment_terms.net_terms",
                "payment_terms.net_terms must be one of net30, net45, net60, net90.",
            ),
        ],
    )
    async def test_the_apis_message_next_to_the_field_and_nothing_made(
        self,
        world: World,
        console: Console,
        overrides: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        await console.get(f"{LIST}/new")
        response = await console.post(LIST, self._form(world, **overrides))
        assert response.status_code == 422, text_of(response.text)
        assert any(message in m for m in field_errors(response.text, field)), (
            field_errors(response.text, field),
            text_of(response.text),
        )
        assert "The API refused this form" in text_of(response.text)
        assert await _total(world) == 0

    async def test_the_refused_form_keeps_what_was_typed(
        self, world: World, console: Console
    ) -> None:
        await console.get(f"{LIST}/new")
        response = await console.post(LIST, self._form(world, name="", description="kept"))
        assert 'name="description" type="text" value="kept"' in response.text
        assert f'value="{world.alice.member_ids[1]}" checked' in response.text

    async def test_without_csrf_nothing_is_made(self, world: World, console: Console) -> None:
        response = await console.post(LIST, self._form(world), csrf=False)
        assert response.status_code == 403
        assert await _total(world) == 0

    async def test_nul_is_refused(self, world: World, console: Console) -> None:
        response = await console.post(LIST, self._form(world, name="a\x00b"))
        assert response.status_code == 422
        assert await _total(world) == 0

    async def test_a_read_only_token_cannot_create(self, world: World, console_as: SignIn) -> None:
        console = await console_as(await world.token(world.alice, ["hood.partners.read"]))
        page = await console.get(LIST)
        assert page.status_code == 200
        assert 'id="new-partner"' not in page.text
        assert (await console.get(f"{LIST}/new")).status_code == 403
        assert (await console.post(LIST, self._form(world))).status_code == 403
        assert await _total(world) == 0
