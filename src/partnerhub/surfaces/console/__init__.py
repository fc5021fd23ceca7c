"""The web console at /console (README "Console"): server-rendered pages for partner teams.

It is one more client of the service layer: every page calls the same services as the API, with
the signed-in token's account, scopes and rate limits, so validation, history and cascades are
the API's own.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from partnerhub.surfaces.common.errors import Renderer
from partnerhub.surfaces.common.router import SurfaceRouter
from partnerhub.surfaces.console import core, crm, crm_definitions, hood, pages, tokens
from partnerhub.surfaces.console.render import render_error
from partnerhub.surfaces.console.routing import PREFIX

MODULES = (pages, tokens, hood, core, crm, crm_definitions)


def install(app: FastAPI, renderers: dict[str, Renderer]) -> None:
    router = SurfaceRouter()
    for module in MODULES:
        router.include_router(module.router)
    app.mount(
        f"{PREFIX}/static",
        StaticFiles(packages=[("partnerhub.surfaces.console", "static")]),
        name="console-static",
    )
    app.include_router(router, include_in_schema=False)
    renderers[PREFIX] = render_error
