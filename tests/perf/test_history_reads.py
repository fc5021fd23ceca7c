"""`propertiesWithHistory` costs one history query per request, not one per object."""

from __future__ import annotations

import re

from test_statement_counts import counting

from harness import World

OBJECTS = "/crm/v3/objects/partner_clients"
HISTORY_QUERY = re.compile(r"\bFROM history\b", re.IGNORECASE)
MAX_HISTORY_QUERIES = 1
COUNT = 5


async def test_batch_read_with_history_queries_history_once(world: World) -> None:
    headers = world.alice.headers()
    defined = await world.client.post(
        "/crm/v3/properties/partner_clients",
        json={"name": "property_string", "label": "String", "type": "string", "fieldType": "text"},
        headers=headers,
    )
    assert defined.status_code == 201, defined.text
    ids = []
    for i in range(COUNT):
        created = await world.client.post(
            OBJECTS, json={"properties": {"property_string": f"first {i}"}}, headers=headers
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
        changed = await world.client.patch(
            f"{OBJECTS}/{ids[-1]}",
            json={"properties": {"property_string": f"second {i}"}},
            headers=headers,
        )
        assert changed.status_code == 200, changed.text
    body = {
        "inputs": [{"id": i} for i in ids],
        "properties": ["property_string"],
        "propertiesWithHistory": ["property_string"],
    }

    with counting(world) as statements:
        response = await world.client.post(f"{OBJECTS}/batch/read", json=body, headers=headers)
    assert response.status_code == 200, response.text

    results = {r["id"]: r for r in response.json()["results"]}
    for i, object_id in enumerate(ids):
        versions = results[object_id]["propertiesWithHistory"]["property_string"]
        assert [v["value"] for v in versions] == [f"second {i}", f"first {i}"]
    history_queries = [s for s in statements if HISTORY_QUERY.search(s)]
    assert len(history_queries) <= MAX_HISTORY_QUERIES, (
        f"a batch read of {COUNT} objects ran {len(history_queries)} history queries "
        f"(pinned: {MAX_HISTORY_QUERIES}):\n" + "\n".join(history_queries)
    )
