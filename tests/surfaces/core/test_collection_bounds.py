"""Collections a caller sends inside one Core partner are bounded (README "Limits")."""

from __future__ import annotations

from harness import World
from partnerhub.domain.core_partners import MAX_ATTRIBUTES
from surfaces.core.kit import PARTNERS, assert_error, create, headers, partner_body


def _attributes(n: int, prefix: str = "k") -> dict[str, str]:
    return {f"{prefix}{i}": "v" for i in range(n)}


class TestAttributes:
    async def test_create_beyond_the_maximum(self, world: World) -> None:
        answer = await world.client.post(
            PARTNERS,
            json=partner_body(attributes=_attributes(MAX_ATTRIBUTES + 1)),
            headers=headers(world.alice),
        )
        (item,) = assert_error(answer, 422, "attributes")
        assert str(MAX_ATTRIBUTES) in item["message"]

    async def test_merged_patch_beyond_the_maximum(self, world: World) -> None:
        created = await create(world, world.alice, attributes=_attributes(MAX_ATTRIBUTES))
        answer = await world.client.patch(
            f"{PARTNERS}/{created['partner_sid']}",
            json={"attributes": {"one_more": "v"}},
            headers=headers(world.alice),
        )
        (item,) = assert_error(answer, 422, "attributes")
        assert str(MAX_ATTRIBUTES) in item["message"]
        # A key removed makes room for another in the same PATCH.
        answer = await world.client.patch(
            f"{PARTNERS}/{created['partner_sid']}",
            json={"attributes": {"k0": None, "one_more": "v"}},
            headers=headers(world.alice),
        )
        assert answer.status_code == 200, answer.text

    async def test_transformations_object_keys(self, world: World) -> None:
        answer = await world.client.post(
            PARTNERS,
            json=partner_body(transformations=[_attributes(1001)]),
            headers=headers(world.alice),
        )
        (item,) = assert_error(answer, 422, "transformations.0")
        assert "1000" in item["message"]
