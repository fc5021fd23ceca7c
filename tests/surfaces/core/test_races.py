"""Core writes racing each other: the database has the last word, and the loser gets the Core
envelope (409 or 422) instead of a 500. On PostgreSQL the requests really overlap (the app's
pool holds several connections); on SQLite writers queue, so the service's own checks decide."""

from __future__ import annotations

import asyncio
from collections import Counter

from harness import World
from surfaces.core.kit import PARTNERS, assert_error, create, headers, partner_body

CALLERS = 20


class TestLoginUniqueness:
    async def test_concurrent_creates_of_one_login_give_one_200(self, world: World) -> None:
        t = world.alice
        responses = await asyncio.gather(
            *(
                world.client.post(
                    PARTNERS, json=partner_body(login="racing-login"), headers=headers(t)
                )
                for _ in range(CALLERS)
            )
        )
        assert Counter(r.status_code for r in responses) == {200: 1, 409: CALLERS - 1}
        for response in responses:
            if response.status_code == 409:
                assert_error(response, 409, "login")

    async def test_case_variants_of_one_login_give_one_200(self, world: World) -> None:
        t = world.alice
        variants = ["CaseLogin", "caselogin", "CASELOGIN", "caseLOGIN"]
        responses = await asyncio.gather(
            *(
                world.client.post(PARTNERS, json=partner_body(login=v), headers=headers(t))
                for v in variants
            )
        )
        assert Counter(r.status_code for r in responses) == {200: 1, 409: 3}
        listed = await world.client.get(PARTNERS, params={"limit": "100"}, headers=t.headers())
        logins = [p["login"] for p in listed.json()["items"]]
        assert sum(login.lower() == "caselogin" for login in logins) == 1


class TestParentDeletedConcurrently:
    async def test_child_create_racing_its_parents_delete_is_never_500(self, world: World) -> None:
        t = world.alice
        for _ in range(5):
            parent = (await create(world, t))["partner_sid"]
            child, deleted = await asyncio.gather(
                world.client.post(
                    PARTNERS, json=partner_body(parent_sid=parent), headers=headers(t)
                ),
                world.client.delete(f"{PARTNERS}/{parent}", headers=t.headers()),
            )
            # Either the child won (the delete then finds a sub-partner) or the delete did.
            assert (child.status_code, deleted.status_code) in ((200, 409), (422, 204)), (
                child.text,
                deleted.text,
            )
            if child.status_code == 422:
                assert_error(child, 422, "parent_sid")
