"""display_id allocation never repeats an id within one bulk create (real storage, both backends;
only the random source is pinned so that it repeats itself)."""

from __future__ import annotations

import itertools

import pytest

from harness import World
from partnerhub.services import core_partners


async def test_a_batch_never_gets_the_same_display_id_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = itertools.cycle([7, 7, 7, 8])
    monkeypatch.setattr(core_partners.secrets, "randbelow", lambda _n: next(draws))
    batch: set[str] = set()
    async with world.runtime.db.transaction() as uow:
        first = await core_partners._new_display_id(uow, batch)
        second = await core_partners._new_display_id(uow, batch)
    assert (first, second) == ("CX00000007", "CX00000008")
    assert batch == {first, second}
