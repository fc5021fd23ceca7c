"""Injected faults (the test-control API, SPEC §5): a status in the surface's own envelope
and/or a delay, for requests matching a surface, method and path glob, `times` times in all
(counted down atomically in the database, across workers) or every time, each match drawing
against `probability`."""

from __future__ import annotations

import builtins
import random
from collections.abc import Mapping
from typing import Any

from partnerhub.domain.bounds import length
from partnerhub.domain.test_control import FAULT_STATUSES, FAULT_SURFACES, METHODS, Fault, FaultSpec
from partnerhub.errors import NotFound, ProblemList
from partnerhub.storage.unit_of_work import UnitOfWork

PATH_MAX = length("test_faults", "path")

MAX_DELAY_MS = 60_000
MAX_RETRY_AFTER = 3_600
FIELDS = ("surface", "method", "path", "status", "delay_ms", "times", "probability", "retry_after")


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def spec(body: Mapping[str, Any]) -> FaultSpec:
    """A fault from its JSON body; ValidationFailed listing every bad field."""
    problems = ProblemList()
    for key in body:
        if key not in FIELDS:
            problems.add(key, f"{key} is not a fault field (known: {', '.join(FIELDS)}).")
    surface = body.get("surface")
    if surface is not None and surface not in FAULT_SURFACES:
        problems.add("surface", f"surface must be one of {', '.join(FAULT_SURFACES)} or null.")
    method = body.get("method")
    if method is not None and (not isinstance(method, str) or method.upper() not in METHODS):
        problems.add("method", f"method must be one of {', '.join(METHODS)} or null.")
    path = body.get("path")
    if path is not None and (not isinstance(path, str) or not path.startswith("/")):
        problems.add("path", "path must be a glob starting with '/' (e.g. /crm/v3/*) or null.")
    elif isinstance(path, str) and (len(path) > PATH_MAX or "\x00" in path):
        problems.add("path", f"path must be at most {PATH_MAX} characters, without NUL.")
    status = body.get("status")
    if status is not None and (not _int(status) or status not in FAULT_STATUSES):
        statuses = ", ".join(map(str, FAULT_STATUSES))
        problems.add("status", f"status must be one of {statuses} or null.")
    delay = body.get("delay_ms", 0)
    if not _int(delay) or not 0 <= delay <= MAX_DELAY_MS:
        problems.add("delay_ms", f"delay_ms must be an integer, 0 to {MAX_DELAY_MS}.")
    times = body.get("times")
    if times is not None and (not _int(times) or times < 1):
        problems.add("times", "times must be a positive integer, or null for every time.")
    probability = body.get("probability", 1.0)
    if (
        not isinstance(probability, int | float)
        or isinstance(probability, bool)
        or not (0.0 <= probability <= 1.0)
    ):
        problems.add("probability", "probability must be a number from 0 to 1.")
    retry_after = body.get("retry_after", 1)
    if not _int(retry_after) or not 0 <= retry_after <= MAX_RETRY_AFTER:
        problems.add("retry_after", f"retry_after must be an integer, 0 to {MAX_RETRY_AFTER}.")
    if status is None and _int(delay) and delay == 0:
        problems.add(None, "A fault needs a status, a delay_ms above 0, or both.")
    problems.raise_if_any()
    return FaultSpec(
        surface=surface,
        method=method.upper() if method else None,
        path=path,
        status=status,
        delay_ms=delay,
        times=times,
        probability=float(probability),
        retry_after=retry_after,
    )


async def create(uow: UnitOfWork, *, body: Mapping[str, Any]) -> Fault:
    return await uow.test_control.add_fault(spec(body))


async def list(uow: UnitOfWork) -> builtins.list[Fault]:
    return await uow.test_control.faults()


async def delete(uow: UnitOfWork, *, fault_id: int) -> None:
    if not await uow.test_control.delete_fault(fault_id):
        raise NotFound("fault", str(fault_id), detail=f"No fault with id {fault_id}.")


async def clear(uow: UnitOfWork) -> None:
    await uow.test_control.clear_faults()


def candidates(
    faults: builtins.list[Fault], *, surface: str, method: str, path: str
) -> builtins.list[Fault]:
    """The faults matching a request that win their draw, oldest first."""
    return [
        f
        for f in faults
        if f.remaining != 0
        and f.matches(surface, method, path)
        and random.random() < f.spec.probability
    ]


async def fire_first(uow: UnitOfWork, faults: builtins.list[Fault]) -> Fault | None:
    """The first of `faults` that still has a firing left, counted down."""
    for fault in faults:
        if await uow.test_control.fire(fault.id):
            return fault
    return None
