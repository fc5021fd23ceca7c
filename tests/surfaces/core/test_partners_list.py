"""GET /core/v2/partners: limit, offset, order, after/before, filter, field filtering."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from harness import Tenant, World
from partnerhub.auth.scopes import ALL_SCOPES
from partnerhub.domain.accounts import Actor
from partnerhub.services import accounts, core_partners
from surfaces.core.kit import PARTNERS, assert_error, create

ENVELOPE = ["count", "has_more", "items", "limit", "offset", "pagination", "total"]


async def _list(world: World, tenant: Tenant, **params: str) -> dict[str, Any]:
    response = await world.client.get(PARTNERS, params=params, headers=tenant.headers())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert list(body) == ENVELOPE
    return body


async def _bulk(world: World, tenant: Tenant, n: int, prefix: str) -> None:
    actor = Actor(account_id=tenant.account_id, token_id=None, scopes=frozenset(ALL_SCOPES))
    items = [
        {"login": f"{prefix}{i}", "name": f"name {i % 7}", "attributes": {"n": i}} for i in range(n)
    ]
    async with world.runtime.db.transaction(write=True) as uow:
        await core_partners.create_many(uow, actor, items=items, password="bulk-password")


class TestListPartners:
    async def test_envelope_limit_offset_and_pagination_links(self, world: World) -> None:
        t = world.alice
        for i in range(4):
            await create(world, t, name=f"P{i}")
        first = await _list(world, t, limit="2", order="name asc")
        assert (first["count"], first["total"], first["has_more"]) == (2, 5, True)
        assert (first["limit"], first["offset"]) == (2, 0)
        assert set(first["pagination"]) == {"next"}
        nxt = urlsplit(first["pagination"]["next"])
        assert nxt.scheme == "http" and nxt.netloc == "partnerhub.test"
        assert nxt.path == PARTNERS
        assert parse_qs(nxt.query) == {"limit": ["2"], "order": ["name asc"], "offset": ["2"]}
        last = await _list(world, t, limit="2", offset="4", order="name asc")
        assert last["count"] == 1 and last["has_more"] is False
        assert set(last["pagination"]) == {"previous"}
        default = await _list(world, t)
        assert default["limit"] == 10 and default["pagination"] == {}

    async def test_limit_above_1000_and_bad_params_are_422(self, world: World) -> None:
        t = world.alice
        for params, field in (
            ({"limit": "1001"}, "limit"),
            ({"limit": "ten"}, "limit"),
            ({"offset": "-1"}, "offset"),
            ({"order": "password asc"}, "order"),
            ({"order": "name sideways"}, "order"),
            ({"after": "not-a-sid"}, "after"),
            ({"filter": "name eqq 'x'"}, "filter"),
            ({"filter": "secret eq 'x'"}, "filter"),
            ({"filter": "name eq 'x' or city eq 'y'"}, "filter"),
            ({"include_fields": "name,nope"}, "include_fields"),
        ):
            response = await world.client.get(PARTNERS, params=params, headers=t.headers())
            assert_error(response, 422, field)

    async def test_order_and_field_filtering(self, world: World) -> None:
        t = world.alice
        for name in ("b", "c", "a"):
            await create(world, t, name=name, login=f"order-{name}")
        desc = await _list(world, t, order="login desc", include_fields="login,name")
        assert [p["login"] for p in desc["items"]][:3] == ["order-c", "order-b", "order-a"]
        assert all(list(p) == ["login", "name"] for p in desc["items"])
        excluded = await _list(world, t, excludeFields="acls,attributes")
        assert all("acls" not in p and "zip" in p for p in excluded["items"])

    async def test_filters(self, world: World) -> None:
        t = world.alice
        await create(world, t, login="f-gold", city="Long Beach", attributes={"tier": "gold"})
        await create(
            world, t, login="f-silver", city="Irvine", attributes={"tier": "silver", "seats": 12}
        )
        await create(world, t, login="f-none", prepay_amount="250.5")

        async def logins(expr: str) -> set[str]:
            body = await _list(world, t, filter=expr, limit="100")
            return {p["login"] for p in body["items"]}

        assert await logins('attributes.tier eq "gold"') == {"f-gold"}
        assert await logins("attributes.tier ne 'gold' and login like 'f-%'") == {
            "f-silver",
            "f-none",
        }
        assert await logins("attributes.seats gt 10") == {"f-silver"}
        assert await logins("city like 'Long%'") == {"f-gold"}
        assert await logins("city like 'long%'") == set()  # like is case-sensitive
        assert await logins("city ilike 'long%'") == {"f-gold"}
        assert await logins('login in ("f-gold", "f-none")') == {"f-gold", "f-none"}
        assert await logins("prepay_amount ge 200 and login like 'f-%'") == {"f-none"}
        assert await logins("city eq null and login like 'f-%'") == {"f-none"}
        assert await logins("date_created ge '2000-01-01' and login eq 'f-gold'") == {"f-gold"}

    async def test_cursor_paging_over_2500_has_no_gap_and_no_duplicate(self, world: World) -> None:
        t = world.alice
        await _bulk(world, t, 2500, "bulk")
        seen: list[str] = []
        params = {"limit": "1000", "order": "name asc"}
        body = await _list(world, t, **params)
        while True:
            seen += [p["partner_sid"] for p in body["items"]]
            if not body["has_more"]:
                break
            # Follow the cursor (`after` = the last item's secure id).
            params = {"limit": "1000", "order": "name asc", "after": seen[-1]}
            body = await _list(world, t, **params)
            assert body["total"] == 2501
        assert len(seen) == 2501 and len(set(seen)) == 2501
        # Backwards from the end with `before` gives the same sequence reversed.
        body = await _list(world, t, limit="1000", order="name asc", before=seen[-1])
        back = [p["partner_sid"] for p in body["items"]]
        while body["has_more"]:
            body = await _list(world, t, limit="1000", order="name asc", before=back[0])
            back = [p["partner_sid"] for p in body["items"]] + back
        assert back == seen[:-1]

    async def test_next_links_follow_the_cursor(self, world: World) -> None:
        t = world.alice
        await _bulk(world, t, 5, "link")
        first = (await _list(world, t, limit="1", order="login asc"))["items"][0]
        body = await _list(world, t, limit="2", order="login asc", after=first["partner_sid"])
        assert set(body["pagination"]) == {"next", "previous"}
        query = parse_qs(urlsplit(body["pagination"]["next"]).query)
        assert query["after"] == [body["items"][-1]["partner_sid"]]

    async def test_foreign_partners_are_not_listed(self, world: World) -> None:
        await create(world, world.bob)
        body = await _list(world, world.alice)
        assert body["total"] == 1


class TestRateLimit:
    async def test_over_the_limit_is_429_in_the_core_envelope(self, world: World) -> None:
        t = world.alice
        async with world.runtime.db.transaction(write=True) as uow:
            await accounts.set_limits(uow, account_id=t.account_id, rate_limits={"core": [[2, 60]]})
        ok = await world.client.get(PARTNERS, headers=t.headers())
        assert ok.headers["x-ratelimit-limit"] == "2"
        await world.client.get(PARTNERS, headers=t.headers())
        over = await world.client.get(PARTNERS, headers=t.headers())
        assert_error(over, 429)
        assert int(over.headers["retry-after"]) > 0
