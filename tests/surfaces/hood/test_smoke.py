from harness import World
from surfaces.hood.kit import create_partner, get_partner


async def test_create_and_get(world: World) -> None:
    created = await create_partner(world, world.alice)
    got = await get_partner(world, world.alice, created["id"])
    assert got["name"] == "Hairdressing Claire"
    assert got["contacts"][0]["value"] == "+38160333444"
