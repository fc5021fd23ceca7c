"""Links and redirects come from PARTNERHUB_PUBLIC_URL or the server's address, never Host."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from harness import make_tenant
from partnerhub.app import create_app
from partnerhub.config import Settings
from partnerhub.services.runtime import Runtime

EVIL = {"Host": "evil.example"}


async def _client(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime)
    tenant = await make_tenant(runtime.db, "alice")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bound.test:8080") as c:
        yield c, tenant.token
    await runtime.close()


@pytest.fixture
async def default(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async for pair in _client(settings):
        yield pair


@pytest.fixture
async def public(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    configured = settings.model_copy(update={"public_url": "https://api.example.com"})
    async for pair in _client(configured):
        yield pair


class TestPublicUrl:
    async def test_trailing_slash_redirect_uses_the_bound_address(
        self, default: tuple[httpx.AsyncClient, str]
    ) -> None:
        client, token = default
        answer = await client.get(
            "/v1/hood/partners/", headers={**EVIL, "Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 307
        assert answer.headers["location"] == "http://bound.test:8080/v1/hood/partners"

    async def test_trailing_slash_redirect_uses_the_public_url(
        self, public: tuple[httpx.AsyncClient, str]
    ) -> None:
        client, token = public
        answer = await client.get(
            "/v1/hood/partners/", headers={**EVIL, "Authorization": f"Bearer {token}"}
        )
        assert answer.headers["location"] == "https://api.example.com/v1/hood/partners"

    async def test_core_pagination_uses_the_public_url(
        self, public: tuple[httpx.AsyncClient, str]
    ) -> None:
        client, token = public
        answer = await client.get(
            "/core/v2/partners?offset=1", headers={**EVIL, "Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.text
        previous = answer.json()["pagination"]["previous"]
        assert previous.startswith("https://api.example.com/core/v2/partners?"), previous

    async def test_core_pagination_without_public_url(
        self, default: tuple[httpx.AsyncClient, str]
    ) -> None:
        client, token = default
        answer = await client.get(
            "/core/v2/partners?offset=1", headers={**EVIL, "Authorization": f"Bearer {token}"}
        )
        previous = answer.json()["pagination"]["previous"]
        assert previous.startswith("http://bound.test:8080/core/v2/partners?"), previous


class TestSetting:
    @pytest.mark.parametrize(
        "value", ["ftp://x.example", "https://x.example/prefix", "https://x.example/?a=1", "x"]
    )
    def test_public_url_is_an_http_origin(self, value: str) -> None:
        with pytest.raises(ValueError, match="public_url"):
            Settings(public_url=value, _env_file=None)  # type: ignore[call-arg]

    def test_trailing_slash_is_dropped(self) -> None:
        got = Settings(public_url="https://x.example/", _env_file=None)  # type: ignore[call-arg]
        assert got.public_url == "https://x.example"
