"""Mounting the test-control API on an app (only with PARTNERHUB_TEST_API=true)."""

from __future__ import annotations

from fastapi import FastAPI

from partnerhub.ops.logging import get_logger
from partnerhub.services import test_snapshots
from partnerhub.services.runtime import Runtime
from partnerhub.services.test_control import WorkerState
from partnerhub.surfaces.common.errors import Renderer
from partnerhub.surfaces.testing import errors
from partnerhub.surfaces.testing.middleware import TestControlMiddleware
from partnerhub.surfaces.testing.routes import router
from partnerhub.surfaces.testing.routing import PREFIX

WARNING = "test-control API is ON: anyone with an admin token can erase data"


def install(app: FastAPI, rt: Runtime, renderers: dict[str, Renderer]) -> None:
    """The routes, the prefix's error envelope and the middleware (added before the request
    middleware, so inside it: request ids are set when it journals)."""
    get_logger("partnerhub.test_control").warning(WARNING, prefix=PREFIX)
    worker = WorkerState()
    app.state.test_control = worker
    app.include_router(router)
    renderers[PREFIX] = errors.render
    app.add_middleware(TestControlMiddleware, runtime=rt, worker=worker)


async def started(rt: Runtime) -> None:
    """At a worker's start: a baseline unless one is stored (`partnerhub serve` takes it before
    any worker starts; an app started otherwise, e.g. by uvicorn itself, takes it here)."""
    async with rt.db.transaction(write=True) as uow:
        await test_snapshots.ensure_baseline(uow)
