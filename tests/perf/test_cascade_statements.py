"""A partner status change cascades to every deal and campaign in a number of SQL statements
that does not depend on how many there are; every child gets its history entry."""

from __future__ import annotations

import pytest

from cascade_kit import entries_of, family, last_history_id, partner
from harness import World

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


async def _patch_counted(world: World, partner_id: str, status: str) -> int:
    seen: list[str] = []

    def observe(sql: str) -> None:
        if not sql.strip().upper().startswith(TRANSACTION_CONTROL):
            seen.append(sql)

    with world.runtime.db.observe(observe):
        response = await world.client.patch(
            f"/v1/hood/partners/{partner_id}",
            json={"status": status},
            headers=world.alice.headers(),
        )
    assert response.status_code == 204, response.text
    return len(seen)


@pytest.mark.slow
async def test_statement_count_is_the_same_at_10_and_1000_deals(world: World) -> None:
    counts = {}
    for deals in (10, 1000):
        pid = await partner(world)
        deal_ids, campaign_ids = await family(world, pid, deals, 5)
        before = await last_history_id(world)
        counts[deals] = await _patch_counted(world, pid, "inactive")
        deal_entries = await entries_of(world, "hood.deal", before)
        campaign_entries = await entries_of(world, "hood.campaign", before)
        assert sorted(int(e.object_id) for e in deal_entries) == deal_ids
        assert sorted(int(e.object_id) for e in campaign_entries) == campaign_ids
        cause = f"partner {pid} status"
        assert {e.changes["effective_status"]["cause"] for e in deal_entries} == {cause}
        assert {e.version for e in [*deal_entries, *campaign_entries]} == {2}
        # And back: the same statements again.
        assert await _patch_counted(world, pid, "active") == counts[deals]
    # Per level (partner, deals, campaigns): the locked read, the UPDATE, the history INSERT;
    # on PostgreSQL the partner's own UPDATE and history INSERT are one statement.
    expected = {"sqlite": 9, "postgresql": 8}[world.runtime.db.dialect]
    assert counts[10] == counts[1000] == expected, counts
