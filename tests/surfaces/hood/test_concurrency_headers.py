"""ETag / If-Match round trips and the rate-limit and request-id headers on normal answers."""

from __future__ import annotations

from harness import World
from partnerhub.services import accounts
from surfaces.hood.kit import PARTNERS, assert_error, create_partner, etag_of, partner_body


class TestETags:
    async def test_etag_round_trip(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        path = f"{PARTNERS}/{created['id']}"
        etag = await etag_of(world, world.alice, path)
        assert etag == '"1"'
        response = await world.client.patch(
            path, json={"name": "v2"}, headers=world.alice.headers(**{"If-Match": etag})
        )
        assert response.status_code == 204, response.text
        new_etag = response.headers["etag"]
        assert new_etag != etag
        assert await etag_of(world, world.alice, path) == new_etag
        lost = await world.client.patch(
            path, json={"name": "lost update"}, headers=world.alice.headers(**{"If-Match": etag})
        )
        assert_error(lost, 412)
        assert await etag_of(world, world.alice, path) == new_etag

    async def test_patches_of_different_fields_both_survive(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        path = f"{PARTNERS}/{created['id']}"
        for body in (
            {"name": "N"},
            {"status": "pending"},
            {"payment_terms": {"net_terms": "net45"}},
        ):
            response = await world.client.patch(path, json=body, headers=world.alice.headers())
            assert response.status_code == 204
        got = (await world.client.get(path, headers=world.alice.headers())).json()["items"][0]
        assert (got["name"], got["status"], got["payment_terms"]["net_terms"]) == (
            "N",
            "pending",
            "net45",
        )
        assert await etag_of(world, world.alice, path) == '"4"'


class TestRateLimitHeaders:
    async def test_normal_answers_carry_the_headers(self, world: World) -> None:
        created = await create_partner(world, world.alice)
        responses = [
            await world.client.get(PARTNERS, headers=world.alice.headers()),
            await world.client.post(
                PARTNERS, json=partner_body(world.alice), headers=world.alice.headers()
            ),
            await world.client.patch(
                f"{PARTNERS}/{created['id']}", json={"name": "x"}, headers=world.alice.headers()
            ),
            await world.client.get(f"{PARTNERS}/abc", headers=world.alice.headers()),
        ]
        assert [r.status_code for r in responses] == [200, 201, 204, 400]
        for response in responses:
            limit = int(response.headers["x-ratelimit-limit"])
            remaining = int(response.headers["x-ratelimit-remaining"])
            reset = int(response.headers["x-ratelimit-reset"])
            assert limit in (350, 3500)  # tier E: 350/s, 3500/min
            assert 0 <= remaining < limit
            assert 0 <= reset <= 60

    async def test_remaining_counts_down_in_one_window(self, world: World) -> None:
        async with world.runtime.db.transaction(write=True) as uow:
            await accounts.set_limits(
                uow, account_id=world.alice.account_id, rate_limits={"hood": [[1000, 3600]]}
            )
        seen = []
        for _ in range(3):
            response = await world.client.get(PARTNERS, headers=world.alice.headers())
            assert response.headers["x-ratelimit-limit"] == "1000"
            seen.append(int(response.headers["x-ratelimit-remaining"]))
        assert seen == [999, 998, 997]

    async def test_accounts_have_separate_budgets(self, world: World) -> None:
        for tenant in (world.alice, world.bob):
            async with world.runtime.db.transaction(write=True) as uow:
                await accounts.set_limits(
                    uow, account_id=tenant.account_id, rate_limits={"hood": [[1000, 3600]]}
                )
        for _ in range(3):
            await world.client.get(PARTNERS, headers=world.alice.headers())
        response = await world.client.get(PARTNERS, headers=world.bob.headers())
        assert response.headers["x-ratelimit-remaining"] == "999"
