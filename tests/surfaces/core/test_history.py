"""GET /core/v2/partners/{sid}/history: what each write records, and the list options it takes."""

from __future__ import annotations

from typing import Any

from harness import Tenant, World
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.domain.accounts import Actor
from partnerhub.services import core_partners
from surfaces.core.kit import PARTNERS, assert_error, create, root

ENTRY_KEYS = ["action", "changed_at", "changes", "source", "surface", "token_id", "version"]


async def _history(world: World, tenant: Tenant, sid: str, **params: str) -> dict[str, Any]:
    response = await world.client.get(
        f"{PARTNERS}/{sid}/history", params=params, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _bulk_create(world: World, tenant: Tenant, items: list[dict[str, Any]]) -> None:
    actor = Actor(account_id=tenant.account_id, token_id=None, scopes=frozenset(ALL_SCOPES))
    async with world.runtime.db.transaction(write=True) as uow:
        await core_partners.create_many(uow, actor, items=items, password="bulk-password")


async def _by_login(world: World, tenant: Tenant, login: str) -> dict[str, Any]:
    response = await world.client.get(
        PARTNERS, params={"filter": f'login eq "{login}"'}, headers=tenant.headers()
    )
    [partner] = response.json()["items"]
    found: dict[str, Any] = partner
    return found


class TestPartnerHistory:
    async def test_bulk_create_records_what_single_create_records(self, world: World) -> None:
        t = world.alice
        fields = {"name": "Same", "company_name": "ABC", "zip": "90804", "attributes": {"k": 1}}
        unset = dict.fromkeys(
            ("country_code", "phonenumber", "charge_at", "prepay_amount", "owner_email")
        )
        single = await create(world, t, login="hist-single", **fields, **unset)
        await _bulk_create(world, t, [{"login": "hist-bulk", **fields}])
        bulk = await _by_login(world, t, "hist-bulk")
        [one] = (await _history(world, t, single["partner_sid"]))["items"]
        [many] = (await _history(world, t, bulk["partner_sid"]))["items"]
        parent = (await root(world, t))["partner_sid"]
        assert many["changes"]["parent_sid"] == {"old": None, "new": parent}
        assert many["changes"]["date_created"] == {"old": None, "new": bulk["date_created"]}
        # The same keys and values, the partner's own identity aside.
        own = {"date_created", "display_id", "login", "partner_sid"}
        assert {k: v for k, v in many["changes"].items() if k not in own} == {
            k: v for k, v in one["changes"].items() if k not in own
        }
        assert {k: v["new"] for k, v in many["changes"].items()} == {
            k: v for k, v in bulk.items() if v is not None
        }
        assert (many["action"], many["version"]) == (one["action"], one["version"]) == ("create", 1)

    async def test_field_filtering_is_honoured(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        included = await _history(world, t, sid, include_fields="version,action")
        assert included["items"] == [{"action": "create", "version": 1}]
        excluded = await _history(world, t, sid, excludeFields="changes")
        assert list(excluded["items"][0]) == [k for k in ENTRY_KEYS if k != "changes"]
        assert_error(
            await world.client.get(
                f"{PARTNERS}/{sid}/history",
                params={"include_fields": "login"},
                headers=t.headers(),
            ),
            422,
            "include_fields",
        )

    async def test_order_cursors_and_filter_are_422_naming_the_parameter(
        self, world: World
    ) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        for params in (
            {"order": "date_created desc"},
            {"after": sid},
            {"before": sid},
            {"filter": "action eq 'create'"},
        ):
            [name] = params
            response = await world.client.get(
                f"{PARTNERS}/{sid}/history", params=params, headers=t.headers()
            )
            [item] = assert_error(response, 422, name, message="object validation error")
            assert item["message"] == (
                f"{name}: not supported by this list; it takes limit, offset, include_fields, "
                "exclude_fields."
            )
        both = await world.client.get(
            f"{PARTNERS}/{sid}/history",
            params={"order": "date_created", "filter": "x eq 1", "limit": "5"},
            headers=t.headers(),
        )
        assert [i["field"] for i in assert_error(both, 422)] == ["order", "filter"]

    async def test_limit_offset_and_unknown_parameters(self, world: World) -> None:
        t = world.alice
        sid = (await create(world, t))["partner_sid"]
        for city in ("A", "B"):
            await world.client.patch(
                f"{PARTNERS}/{sid}",
                json={"city": city},
                headers={**t.headers(), "Content-Type": "application/json"},
            )
        page = await _history(world, t, sid, limit="1", offset="1", unrelated="x")
        assert (page["total"], page["count"], page["has_more"]) == (3, 1, True)
        assert page["items"][0]["changes"] == {"city": {"new": "A", "old": None}}
        assert set(page["pagination"]) == {"next", "previous"}
