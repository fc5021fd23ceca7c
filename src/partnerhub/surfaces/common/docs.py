"""The API documentation pages: `/docs` (Swagger UI) and `/redoc` (ReDoc), with every script,
style sheet and icon they load served by this server.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN (and ReDoc Google's fonts), so
on a machine without internet access they stay blank. The files come from the fastapi-offline
package, which ships current Swagger UI 5 and ReDoc 2 builds; they are served from
`/docs/assets/<its version>/`. ReDoc's bundle hard-codes one off-site file, Redocly's logo in
its side menu: it is served with that image replaced by an empty one. Each page's
Content-Security-Policy lets it load from this server only.
"""

from __future__ import annotations

import base64
import hashlib
import re
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
# ReDoc's side menu always shows Redocly's logo from their CDN (no option turns it off).
REDOC_REWRITES = {
    b"https://cdn.redoc.ly/redoc/logo-mini.svg": b"data:image/svg+xml,%3Csvg xmlns="
    b"'http://www.w3.org/2000/svg'/%3E",
}
# Swagger UI asks validator.swagger.io for a badge about the document unless told not to.
SWAGGER_PARAMETERS = {"validatorUrl": None}
# Inline styles and data: images are Swagger UI's and ReDoc's own; ReDoc's search runs in a
# worker it builds from a blob:. The page's one inline script is allowed by its hash.
POLICY = (
    "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def assets(docs_url: str) -> Assets:
    folder = Path(fastapi_offline.__file__).parent / "static"
    url = f"{docs_url}/assets/{version('fastapi-offline')}"
    return Assets.of(folder, url, rewrites={REDOC_JS: REDOC_REWRITES})


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
        return _restricted(page)

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
        return _restricted(page)


def _restricted(page: HTMLResponse) -> HTMLResponse:
    """`page` allowed to load from this server only; always asked for again (it is small and
    names versioned asset URLs)."""
    scripts = ["'self'"] + [
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(bytes(page.body).decode())
    ]
    page.headers["Content-Security-Policy"] = POLICY.format(scripts=" ".join(scripts))
    page.headers["Cache-Control"] = "no-cache"
    return page
