"""/docs (Swagger UI) and /redoc (ReDoc) load every file from this server: the pages name only
local URLs, the assets are served with their content types and cache headers, an unknown or
traversing asset path is a 404 in the plain envelope, and the OpenAPI document declares the
security schemes the "Authorize" dialog offers. (tests/browser renders the pages.)"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness import suite_settings
from partnerhub.app import create_app
from partnerhub.services.runtime import Runtime
from partnerhub.surfaces.common import docs
from partnerhub.surfaces.common.assets import IMMUTABLE

ASSETS = docs.assets("/docs")
# Every URL an HTML page can name: attributes and the Swagger UI configuration's `url`.
URL_IN_PAGE = re.compile(r"""(?:src|href|spec-url)="([^"]*)"|\burl: '([^']*)'""")
SOURCE = Path(docs.__file__).resolve().parent.parent.parent / "app.py"


async def _client(database_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    settings = suite_settings(database_url, **overrides)
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://partnerhub.test") as c:
        yield c
    await runtime.close()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    # The pages and their files touch no database: one backend is enough.
    path = tmp_path / "partnerhub.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
async def client(sqlite_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for c in _client(sqlite_url):
        yield c


def _urls(html: str) -> list[str]:
    return [a or b for a, b in URL_IN_PAGE.findall(html)]


class TestPages:
    @pytest.mark.parametrize(
        ("page", "scripts"),
        [("/docs", {docs.SWAGGER_JS, docs.SWAGGER_CSS}), ("/redoc", {docs.REDOC_JS})],
    )
    async def test_page_names_only_this_servers_files(
        self, client: httpx.AsyncClient, page: str, scripts: set[str]
    ) -> None:
        answer = await client.get(page)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["cache-control"] == "no-cache"
        html = answer.text
        assert "http://" not in html and "https://" not in html, html
        urls = _urls(html)
        assert "/openapi.json" in urls
        expected = {ASSETS.url_of(name) for name in {*scripts, docs.FAVICON}}
        assert expected <= set(urls), urls
        for url in urls:
            assert url.startswith("/") and not url.startswith("//"), url
            fetched = await client.get(url)
            assert fetched.status_code == 200, url

    @pytest.mark.parametrize("page", ["/docs", "/redoc"])
    async def test_page_may_load_from_this_server_only(
        self, client: httpx.AsyncClient, page: str
    ) -> None:
        answer = await client.get(page)
        directives = dict(
            d.strip().split(" ", 1) for d in answer.headers["content-security-policy"].split(";")
        )
        assert directives["default-src"] == "'self'"
        for name in ("img-src", "connect-src", "font-src", "style-src"):
            assert directives[name].startswith("'self'"), name
            assert "http" not in directives[name] and "*" not in directives[name], name
        scripts = directives["script-src"].split()
        assert scripts[0] == "'self'" and "'unsafe-inline'" not in scripts
        inline = docs.INLINE_SCRIPT.findall(answer.text)
        assert len(scripts) == 1 + len(inline)
        for script in inline:
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in scripts

    async def test_swagger_ui_asks_no_online_validator(self, client: httpx.AsyncClient) -> None:
        html = (await client.get("/docs")).text
        assert '"validatorUrl": null' in html

    async def test_redoc_loads_no_google_fonts(self, client: httpx.AsyncClient) -> None:
        html = (await client.get("/redoc")).text
        assert "fonts.googleapis" not in html
        assert "<redoc spec-url=" in html

    async def test_pages_are_not_operations(self, client: httpx.AsyncClient) -> None:
        paths = (await client.get("/openapi.json")).json()["paths"]
        assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]


class TestAssets:
    @pytest.mark.parametrize(
        ("name", "media_type"),
        [
            (docs.SWAGGER_JS, "text/javascript; charset=utf-8"),
            (docs.SWAGGER_CSS, "text/css; charset=utf-8"),
            (docs.REDOC_JS, "text/javascript; charset=utf-8"),
            (docs.FAVICON, "image/png"),
        ],
    )
    async def test_served_with_type_and_cache_headers(
        self, client: httpx.AsyncClient, name: str, media_type: str
    ) -> None:
        answer = await client.get(ASSETS.url_of(name))
        assert answer.status_code == 200
        assert answer.headers["content-type"] == media_type
        assert answer.headers["cache-control"] == IMMUTABLE
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["etag"]
        assert answer.headers["x-request-id"]
        if name != docs.REDOC_JS:
            assert answer.content == ASSETS.files[name].read_bytes()

    async def test_redoc_bundle_names_no_off_site_logo(self, client: httpx.AsyncClient) -> None:
        shipped = ASSETS.files[docs.REDOC_JS].read_bytes()
        served = (await client.get(ASSETS.url_of(docs.REDOC_JS))).content
        for old, new in docs.REDOC_REWRITES.items():
            assert old in shipped  # still what the rewrite is for
            assert old not in served and new in served
        assert len(served) > 1_000_000

    async def test_a_cached_copy_is_revalidated_with_304(self, client: httpx.AsyncClient) -> None:
        url = ASSETS.url_of(docs.SWAGGER_CSS)
        etag = (await client.get(url)).headers["etag"]
        answer = await client.get(url, headers={"If-None-Match": etag})
        assert answer.status_code == 304
        assert answer.content == b""
        assert answer.headers["etag"] == etag
        changed = await client.get(url, headers={"If-None-Match": '"something-else"'})
        assert changed.status_code == 200

    async def test_url_carries_the_package_version(self) -> None:
        assert re.fullmatch(r"/docs/assets/\d+\.\d+[\w.]*", ASSETS.url), ASSETS.url

    async def test_head_has_headers_and_no_body(self, client: httpx.AsyncClient) -> None:
        answer = await client.head(ASSETS.url_of(docs.SWAGGER_CSS))
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/css; charset=utf-8"
        size = ASSETS.files[docs.SWAGGER_CSS].stat().st_size
        assert answer.headers["content-length"] == str(size)
        assert answer.content == b""

    @pytest.mark.parametrize(
        "path",
        [
            f"{ASSETS.url}/nope.js",
            f"{ASSETS.url}/",
            "/docs/assets/0.0.1/swagger-ui.css",
            "/docs/assets/swagger-ui.css",
        ],
    )
    async def test_unknown_asset_is_a_404_envelope(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        answer = await client.get(path, follow_redirects=True)
        assert answer.status_code == 404
        body = answer.json()
        assert body["status"] == 404
        assert body["request_id"] == answer.headers["x-request-id"]

    @pytest.mark.parametrize(
        "path",
        [
            "/docs/assets/..%2f..%2fapp.py",
            f"{ASSETS.url}/..%2f..%2f..%2fpartnerhub%2fapp.py",
            f"{ASSETS.url}/..%2f__init__.py",
            f"{ASSETS.url}/%2e%2e",
            f"{ASSETS.url}/%2e%2e%2fcore.py",
            f"{ASSETS.url}/..%5c__init__.py",
            f"{ASSETS.url}/%2fetc%2fpasswd",
        ],
    )
    async def test_traversal_reads_nothing_outside_the_folder(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        answer = await client.get(path)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/json"
        assert "create_app" not in answer.text and "root:" not in answer.text
        assert SOURCE.is_file()  # what the first cases aim at exists

    async def test_other_methods_are_405_naming_get_and_head(
        self, client: httpx.AsyncClient
    ) -> None:
        answer = await client.post(ASSETS.url_of(docs.SWAGGER_JS), content=b"x")
        assert answer.status_code == 405
        assert answer.headers["allow"] == "GET, HEAD"

    async def test_metrics_label_the_route_template(self, client: httpx.AsyncClient) -> None:
        await client.get(ASSETS.url_of(docs.SWAGGER_JS))
        await client.get(f"{ASSETS.url}/nope-{'x' * 20}.js")
        metrics = (await client.get("/metrics")).text
        assert f'route="{ASSETS.url}/{{name}}"' in metrics
        assert "nope-" not in metrics


def _operations(spec: dict[str, Any], prefix: str) -> list[tuple[str, dict[str, Any]]]:
    found = [
        (f"{method.upper()} {path}", operation)
        for path, operations in spec["paths"].items()
        if path.startswith(prefix)
        for method, operation in operations.items()
    ]
    assert found, prefix
    return found


BEARER = [{"bearerAuth": []}]


class TestSecuritySchemes:
    @pytest.fixture
    async def spec(self, sqlite_url: str) -> dict[str, Any]:
        async for c in _client(sqlite_url, test_api=True):
            served: dict[str, Any] = (await c.get("/openapi.json")).json()
            return served
        raise AssertionError("no client")

    async def test_schemes_are_http_bearer_and_basic(self, spec: dict[str, Any]) -> None:
        schemes = spec["components"]["securitySchemes"]
        assert {name: (s["type"], s["scheme"]) for name, s in schemes.items()} == {
            "bearerAuth": ("http", "bearer"),
            "basicAuth": ("http", "basic"),
        }

    @pytest.mark.parametrize("prefix", ["/v1/hood", "/crm/v3", "/_partnerhub/test"])
    async def test_bearer_surfaces(self, spec: dict[str, Any], prefix: str) -> None:
        wrong = {op: o.get("security") for op, o in _operations(spec, prefix)}
        assert {op: s for op, s in wrong.items() if s != BEARER} == {}

    async def test_core_takes_bearer_or_basic_and_its_token_route_none(
        self, spec: dict[str, Any]
    ) -> None:
        security = {op: o.get("security") for op, o in _operations(spec, "/core/v2")}
        assert security.pop("POST /core/v2/oauth/token") == []
        either = [{"bearerAuth": []}, {"basicAuth": []}]
        assert {op: s for op, s in security.items() if s != either} == {}

    async def test_operations_routes_take_no_credentials(self, spec: dict[str, Any]) -> None:
        for path in ("/healthz", "/readyz", "/metrics"):
            assert "security" not in spec["paths"][path]["get"], path
