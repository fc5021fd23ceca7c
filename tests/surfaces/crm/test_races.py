"""CRM upserts racing each other: one new idProperty value from many callers at once creates
once and updates the rest, never a 409. On PostgreSQL the requests really overlap (the app's
pool holds several connections); on SQLite writers queue, so the service's own checks decide."""

from __future__ import annotations

import asyncio
from collections import Counter

from crm.kit import OBJECTS, define, set_crm_limits
from harness import World

CALLERS = 8
UNIQUE = {
    "name": "domain",
    "label": "Domain",
    "type": "string",
    "fieldType": "text",
    "hasUniqueValue": True,
}
NUMBER = {"name": "hits", "label": "Hits", "type": "number", "fieldType": "number"}


class TestConcurrentUpsert:
    async def test_one_new_value_from_many_callers_creates_once(self, world: World) -> None:
        t = world.alice
        await set_crm_limits(world, t, crm=[[1000, 10]])
        await define(world, t, UNIQUE, NUMBER)

        def body(i: int) -> dict[str, object]:
            item = {"id": "race.example", "idProperty": "domain", "properties": {"hits": str(i)}}
            return {"inputs": [item]}

        responses = await asyncio.gather(
            *(
                world.client.post(f"{OBJECTS}/batch/upsert", json=body(i), headers=t.headers())
                for i in range(CALLERS)
            )
        )
        assert [r.status_code for r in responses] == [200] * CALLERS, [r.text for r in responses]
        results = [r.json()["results"][0] for r in responses]
        assert Counter(result["new"] for result in results) == {True: 1, False: CALLERS - 1}
        assert len({result["id"] for result in results}) == 1
        listed = await world.client.get(OBJECTS, params={"limit": "100"}, headers=t.headers())
        assert len(listed.json()["results"]) == 1
