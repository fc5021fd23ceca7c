"""What each worker does for the test-control API around every request (SPEC §5): notice a
reset or restore made on any worker (the generation in `test_control_state`) and forget its
in-process caches, and pick the fault a request meets. Only used when PARTNERHUB_TEST_API=true;
with it off nothing here runs."""

from __future__ import annotations

from dataclasses import dataclass

from partnerhub.domain.test_control import Fault
from partnerhub.services import test_faults
from partnerhub.services.runtime import Runtime


@dataclass
class WorkerState:
    """The generation this worker's caches were last forgotten at."""

    generation: int = 0

    async def caught_up(self, rt: Runtime, generation: int) -> None:
        """Forget this worker's caches if data was reset or restored since it last did."""
        if generation != self.generation:
            await rt.forget_caches()
            self.generation = generation


async def before_request(
    rt: Runtime, worker: WorkerState, *, surface: str, method: str, path: str
) -> Fault | None:
    """Catch up with resets made on other workers, then the fault this request meets (its
    firing counted), if any. Two reads and, when a fault fires, one update."""
    async with rt.db.transaction() as uow:
        generation = await uow.test_control.generation()
        faults = await uow.test_control.faults() if surface != "test" else []
    await worker.caught_up(rt, generation)
    chosen = test_faults.candidates(faults, surface=surface, method=method, path=path)
    if not chosen:
        return None
    async with rt.db.transaction(write=True) as uow:
        return await test_faults.fire_first(uow, chosen)
