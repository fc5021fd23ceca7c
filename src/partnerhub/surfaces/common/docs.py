"""The API documentation pages: `/docs` (Swagger UI) and `/redoc` (ReDoc), with every script,
style sheet and icon they load served by this server.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN (and ReDoc Google's fonts), so
on a machine without internet access they stay blank. The files come from the fastapi-offline
package, which ships current Swagger UI 5 and ReDoc 2 builds; they are served from
`/docs/assets/<its version>/`.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import HTMLResponse

from partnerhub.surfaces.common.assets import Assets

SWAGGER_JS = "swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui.css"
REDOC_JS = "redoc.standalone.js"
FAVICON = "favicon.png"
# Swagger UI asks validator.swagger.io for a badge about the document unless told not to.
SWAGGER_PARAMETERS = {"validatorUrl": None}
# The pages are small and name versioned asset URLs: always asked for again.
PAGE_HEADERS = {"Cache-Control": "no-cache"}


def assets(docs_url: str) -> Assets:
    folder = Path(fastapi_offline.__file__).parent / "static"
    return Assets.of(folder, f"{docs_url}/assets/{version('fastapi-offline')}")


def install(app: FastAPI, *, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Swagger UI at `docs_url`, ReDoc at `redoc_url`, their files below `docs_url`/assets.
    The app must be built with `docs_url=None, redoc_url=None` (FastAPI's CDN pages off)."""
    files = assets(docs_url)
    files.install(app)
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} — API docs",
            swagger_js_url=files.url_of(SWAGGER_JS, root),
            swagger_css_url=files.url_of(SWAGGER_CSS, root),
            swagger_favicon_url=files.url_of(FAVICON, root),
            oauth2_redirect_url=None,
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        )
        page.headers.update(PAGE_HEADERS)
        return page

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} — API reference",
            redoc_js_url=files.url_of(REDOC_JS, root),
            redoc_favicon_url=files.url_of(FAVICON, root),
            with_google_fonts=False,
        )
        page.headers.update(PAGE_HEADERS)
        return page
