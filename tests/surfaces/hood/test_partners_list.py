"""GET /v1/hood/partners: views, fields, sort, paging, search, filters and their refusals."""

from __future__ import annotations

from typing import Any

from harness import World
from surfaces.hood.kit import PARTNERS, assert_error, create_partner, list_items, partner_body

FULL_ONLY = {"description", "payment_terms", "billing_address", "contact", "contacts"}
DEFAULT_KEYS = {
    "id",
    "company_id",
    "manager_ids",
    "managers",
    "name",
    "type",
    "status",
    "archived",
    "system",
    "create_time",
    "update_time",
}


async def catalogue(world: World) -> dict[str, dict[str, Any]]:
    """Five partners of alice (created in this order) and one of bob."""
    alice, (m0, m1) = world.alice, world.alice.member_ids
    eur = {**partner_body(alice)["payment_terms"], "currency_code": "eur"}
    specs: list[dict[str, Any]] = [
        {"name": "Delta", "status": "active", "type": ["advertiser"], "manager_ids": [m0]},
        {"name": "Alpha", "status": "pending", "payment_terms": eur, "manager_ids": [m1]},
        {"name": "Echo", "status": "active", "type": ["advertiser", "publisher"]},
        {"name": "Charlie", "status": "inactive", "payment_terms": None, "manager_ids": [m0, m1]},
        {"name": "Bravo", "status": "suspended", "description": "makes bravado"},
    ]
    made = {s["name"]: await create_partner(world, alice, **s) for s in specs}
    await create_partner(world, world.bob, name="Bob's own")
    return made


def names(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


FILTER_CASES: list[tuple[dict[str, str], list[str]]] = [
    ({"status": "active"}, ["Delta", "Echo"]),
    ({"status": "eq:pending"}, ["Alpha"]),
    ({"status": "in:active,pending"}, ["Delta", "Alpha", "Echo"]),
    ({"status": "neq:active"}, ["Alpha", "Charlie", "Bravo"]),
    ({"status": "nin:active,pending"}, ["Charlie", "Bravo"]),
    ({"type": "advertiser"}, ["Delta", "Echo"]),
    ({"type": "publisher"}, ["Alpha", "Echo", "Charlie", "Bravo"]),
    ({"type": "neq:publisher"}, ["Delta"]),
    ({"currency": "eur"}, ["Alpha"]),
    ({"currency": "usd"}, ["Delta", "Echo", "Bravo"]),
    ({"currency": "isn:"}, ["Charlie"]),
    ({"currency": "neq:eur"}, ["Delta", "Echo", "Charlie", "Bravo"]),
    ({"managers": "is:"}, ["Delta", "Alpha", "Echo", "Charlie", "Bravo"]),
    ({"payment_frequency": "monthly"}, ["Delta", "Alpha", "Echo", "Bravo"]),
    ({"status": "active", "type": "publisher"}, ["Echo"]),
]
BAD_FILTERS: list[tuple[dict[str, str], str]] = [
    ({"colour": "red"}, "colour"),
    ({"description": "x"}, "description"),
    ({"status": "foo:active"}, "foo"),
    ({"status": "deleted"}, "deleted"),
    ({"status": "gt:active"}, "gt"),
    ({"create_time": "yesterday"}, "create_time"),
    ({"create_time": "r:2000-01-01"}, "create_time"),
    ({"id": "abc"}, "id"),
    ({"archived": "2"}, "archived"),
    ({"currency": "is:x"}, "currency"),
]


class TestListPartnersViews:
    async def test_default_view_omits_the_nested_objects(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        total, [item] = await list_items(world, world.alice)
        assert total == 1
        assert set(item) == DEFAULT_KEYS
        assert item == {k: v for k, v in created.items() if k not in FULL_ONLY}
        _, [item] = await list_items(world, world.alice, view="default")
        assert set(item) == DEFAULT_KEYS

    async def test_view_full_includes_them(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        _, [item] = await list_items(world, world.alice, view="full")
        assert item == created

    async def test_fields_selects_exactly_those(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        _, [item] = await list_items(world, world.alice, fields="id,name")
        assert item == {"id": created["id"], "name": created["name"]}
        _, [item] = await list_items(world, world.alice, fields="contacts,billing_address")
        assert item == {k: created[k] for k in ("contacts", "billing_address")}

    async def test_get_by_id_honours_fields_and_view(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        path = f"{PARTNERS}/{created['id']}"
        total, [item] = await list_items(world, world.alice, path, fields="name,status")
        assert (total, item) == (1, {"name": created["name"], "status": "active"})
        _, [item] = await list_items(world, world.alice, path, view="default")
        assert set(item) == DEFAULT_KEYS

    async def test_empty_and_another_accounts_partners_are_not_listed(self, world: World) -> None:
        assert await list_items(world, world.alice) == (0, [])
        await create_partner(world, world.bob)
        assert await list_items(world, world.alice) == (0, [])


class TestListPartnersSortAndPage:
    async def test_sort(self, world: World) -> None:
        made = await catalogue(world)
        _, items = await list_items(world, world.alice)
        assert names(items) == list(made)
        _, ascending = await list_items(world, world.alice, sort="name")
        _, descending = await list_items(world, world.alice, sort="-name")
        assert names(ascending) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        assert names(descending) == ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]
        _, ascending = await list_items(world, world.alice, sort="create_time")
        _, descending = await list_items(world, world.alice, sort="-create_time")
        assert names(ascending) == list(made)
        assert names(descending) == list(made)[::-1]
        _, items = await list_items(world, world.alice, sort="status,-name")
        assert names(items) == ["Echo", "Delta", "Charlie", "Alpha", "Bravo"]

    async def test_pages(self, world: World) -> None:
        made = list(await catalogue(world))
        pages = []
        for page in ("1,2", "2,2", "3,2", "4,2"):
            total, items = await list_items(world, world.alice, page=page)
            assert total == 5
            pages.append(names(items))
        assert pages == [made[0:2], made[2:4], made[4:5], []]
        total, items = await list_items(world, world.alice, page="1")
        assert (total, len(items)) == (5, 5)

    async def test_bad_page_names_page(self, world: World) -> None:
        for page in ("0", "abc", "1,0", "1,101", "-1", "1,2,3", "1,", "99999999999"):
            response = await world.client.get(
                PARTNERS, params={"page": page}, headers=world.alice.headers()
            )
            assert_error(response, 400, "page")

    async def test_bad_reserved_parameter_names_it(self, world: World) -> None:
        cases = [
            ("sort", "colour", "colour"),
            ("sort", "-description", "description"),
            ("sort", "name,name", "name"),
            ("fields", "id,colour", "colour"),
            ("view", "compact", "compact"),
            ("q_fields", "colour", "colour"),
            ("q_fields", "status", "status"),
        ]
        for param, value, needle in cases:
            response = await world.client.get(
                PARTNERS, params={param: value}, headers=world.alice.headers()
            )
            assert_error(response, 400, needle)


class TestListPartnersSearch:
    async def test_q_searches_name_or_q_fields_literally(self, world: World) -> None:
        await catalogue(world)
        total, items = await list_items(world, world.alice, q="RAV")
        assert (total, names(items)) == (1, ["Bravo"])
        _, by_name = await list_items(world, world.alice, q="bravado")
        _, by_description = await list_items(
            world, world.alice, q="bravado", q_fields="description"
        )
        assert by_name == []
        assert names(by_description) == ["Bravo"]
        assert await list_items(world, world.alice, q="%") == (0, [])
        assert await list_items(world, world.alice, q="_") == (0, [])


class TestListPartnersFilters:
    async def test_filters_and_total_counts_the_whole_filtered_set(self, world: World) -> None:
        made = await catalogue(world)
        for params, expected in FILTER_CASES:
            total, items = await list_items(world, world.alice, **params)
            assert (total, names(items)) == (len(expected), expected), params
        m0, m1 = world.alice.member_ids
        _, first = await list_items(world, world.alice, managers=m0)
        _, second = await list_items(world, world.alice, managers=m1)
        assert names(first) == ["Delta", "Echo", "Charlie", "Bravo"]
        assert names(second) == ["Alpha", "Charlie"]
        ids = f"in:{made['Echo']['id']},{made['Bravo']['id']}"
        _, items = await list_items(world, world.alice, id=ids)
        assert names(items) == ["Echo", "Bravo"]
        _, items = await list_items(world, world.alice, id=f"gt:{made['Charlie']['id']}")
        assert names(items) == ["Bravo"]
        total, items = await list_items(world, world.alice, status="neq:active", page="1,1")
        assert (total, len(items)) == (3, 1)
        everything = ["Delta", "Alpha", "Echo", "Charlie", "Bravo"]
        cases = {
            "gte:2000-01-01": everything,
            "lt:2000-01-01": [],
            "gt:2999-01-01 00:00:00": [],
            "rf:2000-01-01,2999-12-31": everything,
            "r:2000-01-01,2999-12-31": everything,
            "rl:2000-01-01": everything,
            "rr:2000-01-01": [],
        }
        for value, expected in cases.items():
            total, items = await list_items(world, world.alice, create_time=value)
            assert (total, names(items)) == (len(expected), expected), value

    async def test_create_time_matches_the_value_shown(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        shown = created["create_time"]
        for value in (shown, f"eq:{shown}", f"lte:{shown}", f"gte:{shown}", f"rf:{shown},{shown}"):
            total, _ = await list_items(world, world.alice, create_time=value)
            assert total == 1, value
        for value in (f"lt:{shown}", f"gt:{shown}", f"neq:{shown}"):
            total, _ = await list_items(world, world.alice, create_time=value)
            assert total == 0, value

    async def test_bad_filter_names_it(self, world: World) -> None:
        for params, needle in BAD_FILTERS:
            response = await world.client.get(
                PARTNERS, params=params, headers=world.alice.headers()
            )
            assert_error(response, 400, needle)


class TestListPartnersArchived:
    async def test_archived_excluded_by_default_and_shown_with_the_filter(
        self, world: World
    ) -> None:
        made = await catalogue(world)
        for name in ("Echo", "Alpha"):
            response = await world.client.post(
                f"{PARTNERS}/{made[name]['id']}/archive", headers=world.alice.headers()
            )
            assert response.status_code == 204, response.text
        total, items = await list_items(world, world.alice)
        assert (total, names(items)) == (3, ["Delta", "Charlie", "Bravo"])
        total, items = await list_items(world, world.alice, archived="1")
        assert (total, names(items)) == (2, ["Alpha", "Echo"])
        assert all(i["archived"] == 1 for i in items)
        total, _ = await list_items(world, world.alice, archived="0")
        assert total == 3
        total, _ = await list_items(world, world.alice, archived="in:0,1")
        assert total == 5
        total, items = await list_items(world, world.alice, archived="1", status="active")
        assert (total, names(items)) == (1, ["Echo"])
