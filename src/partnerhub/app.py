"""create_app(settings): the three surfaces, the ops routes, middleware and error envelopes."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from partnerhub import __version__
from partnerhub.config import Settings
from partnerhub.ops.logging import configure as configure_logging
from partnerhub.ops.metrics import Metrics
from partnerhub.ops.middleware import RequestMiddleware
from partnerhub.services.runtime import Runtime
from partnerhub.surfaces import console
from partnerhub.surfaces.common import docs, openapi, responses
from partnerhub.surfaces.common import errors as error_envelopes
from partnerhub.surfaces.common.router import LeanRoute
from partnerhub.surfaces.common.wire_text import nul_refusal
from partnerhub.surfaces.core import errors as core_errors
from partnerhub.surfaces.core.routes import PREFIX as CORE_PREFIX
from partnerhub.surfaces.core.routes import router as core_router
from partnerhub.surfaces.crm import errors as crm_errors
from partnerhub.surfaces.crm.routes import PREFIX as CRM_PREFIX
from partnerhub.surfaces.crm.routes import router as crm_router
from partnerhub.surfaces.hood import PREFIX as HOOD_PREFIX
from partnerhub.surfaces.hood import errors as hood_errors
from partnerhub.surfaces.hood import router as hood_router
from partnerhub.surfaces.testing import install as test_control_api
from partnerhub.surfaces.testing.routing import PREFIX as TEST_CONTROL_PREFIX

DESCRIPTION = """\
partnerhub serves three partner APIs over one store:

* **Hood** (`/v1/hood`) — Ocamba Hood API v1 compatible
* **Core** (`/core/v2`) — CarrierX Core API v2 compatible
* **CRM** (`/crm/v3`) — HubSpot CRM API v3 compatible

Authenticate with `Authorization: Bearer <token>` (`partnerhub tokens create`; on this page:
**Authorize**); Core also takes a partner's login and password as HTTP Basic credentials.
Beyond the vendors: `ETag`/`If-Match` on every object, `Idempotency-Key` on creates, and a
read-only `…/history` route per object.
"""


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    configure_logging(settings.log_level)
    rt = runtime or Runtime.build(settings)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.test_api:
            await test_control_api.started(rt)
        # What start-up built (modules, routes, schemas: ~180,000 objects) lives as long as the
        # process: frozen out of the collector's sight, a full collection scans only what
        # requests left behind. Unfrozen, each one paused the worker ~200 ms under load.
        gc.collect()
        gc.freeze()
        yield
        await rt.close()

    app = FastAPI(
        title="partnerhub",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by docs.install from this server's own files, not FastAPI's CDN pages.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        # Operations metrics are our own (/metrics). FastAPI's OpenTelemetry hooks otherwise
        # look up the OTel providers in the environment on every request (~2.5 % of a GET).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = rt
    app.state.metrics = metrics
    app.router.route_class = LeanRoute
    app.include_router(hood_router)
    app.include_router(core_router)
    app.include_router(crm_router)
    _ops_routes(app, rt, metrics)
    renderers: dict[str, error_envelopes.Renderer] = {
        HOOD_PREFIX: hood_errors.render,
        CORE_PREFIX: core_errors.render,
        CRM_PREFIX: crm_errors.render,
    }
    console.install(app, renderers)
    if settings.test_api:
        # Off, none of it exists: no route, no renderer, no middleware (its paths are 404).
        test_control_api.install(app, rt, renderers)
    error_envelopes.install(app, renderers)
    openapi.install(
        app,
        security={
            HOOD_PREFIX: [openapi.BEARER],
            CORE_PREFIX: [openapi.BEARER, openapi.BASIC],
            CRM_PREFIX: [openapi.BEARER],
            TEST_CONTROL_PREFIX: [openapi.BEARER],
        },
    )
    docs.install(app)
    app.add_middleware(
        RequestMiddleware,
        metrics=metrics,
        public_url=settings.public_url,
        refusals=(nul_refusal,),
    )
    return app


def _ops_routes(app: FastAPI, rt: Runtime, metrics: Metrics) -> None:
    @app.get("/healthz", operation_id="ops_healthz", tags=["Operations"], summary="Process is up")
    async def healthz() -> Response:
        return responses.json({"status": "ok"})

    @app.get(
        "/readyz",
        operation_id="ops_readyz",
        tags=["Operations"],
        summary="Database (and Redis, when configured) reachable",
        responses={503: {"description": "A dependency is unreachable"}},
    )
    async def readyz() -> Response:
        checks = {"database": await rt.db.ping(), "ratelimit": await rt.limiter.check_ready()}
        ok = all(checks.values())
        body = {"status": "ok" if ok else "unavailable", "checks": checks}
        return responses.json(body, 200 if ok else 503)

    @app.get(
        "/metrics",
        operation_id="ops_metrics",
        tags=["Operations"],
        summary="Prometheus metrics",
        response_class=Response,
    )
    async def metrics_route(request: Request) -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


def factory() -> FastAPI:
    """Entry point for uvicorn workers: settings come from PARTNERHUB_* variables."""
    return create_app(Settings())
