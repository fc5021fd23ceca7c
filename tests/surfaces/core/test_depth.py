"""Core hierarchy depth: partners nest at most MAX_DEPTH levels, so a materialized path can never
outgrow its column (a 127-level chain overflowed String(1024) on PostgreSQL)."""

from __future__ import annotations

from harness import World
from partnerhub.domain import bounds
from partnerhub.domain import core_partners as rules

from .kit import PARTNERS, assert_error, create, headers, partner_body, root


def test_the_deepest_path_fits_its_column_whatever_the_ids() -> None:
    widest = "/" + ("9" * 19 + "/") * rules.MAX_DEPTH  # BIGINT ids at every level
    assert len(widest) <= bounds.length("core_partners", "path")
    assert rules.depth(widest) == rules.MAX_DEPTH


async def test_a_partner_below_the_deepest_level_is_refused_naming_parent_sid(
    world: World,
) -> None:
    parent = (await root(world, world.alice))["partner_sid"]
    for _ in range(rules.MAX_DEPTH - 1):  # the root is level 1
        parent = (await create(world, world.alice, parent_sid=parent))["partner_sid"]
    response = await world.client.post(
        PARTNERS, json=partner_body(parent_sid=parent), headers=headers(world.alice)
    )
    assert_error(response, 422, "parent_sid")
    assert str(rules.MAX_DEPTH) in response.json()["errors"][0]["message"]
    listed = await world.client.get(
        PARTNERS, params={"limit": "1000"}, headers=world.alice.headers()
    )
    assert len(listed.json()["items"]) == rules.MAX_DEPTH  # nothing was added
