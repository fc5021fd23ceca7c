"""The console test kit: a signed-in, browser-like client through the real ASGI app, and page
text helpers."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from harness import World

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _errors_list(page: str, name: str) -> str | None:
    """The inside of the list of messages next to the form field `name`, if it has one."""
    ident = re.escape(name.replace(".", "-"))
    found = re.search(rf'<ul class="field-errors" id="{ident}-errors">(.*?)</ul>', page, re.S)
    return found.group(1) if found else None


def field_errors(page: str, name: str) -> list[str]:
    """The messages shown next to the form field `name` (none: [])."""
    found = _errors_list(page, name)
    if found is None:
        return []
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found, re.S)]


def errors_of(page: str, name: str) -> str:
    """The text of the messages next to the form field `name`, which must have some."""
    found = _errors_list(page, name)
    assert found is not None, f"no messages next to {name}"
    return text_of(found)


def browser(world: World) -> httpx.AsyncClient:
    """A client of the suite's app with cookies of its own, as a browser would be."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.client._transport.app),  # type: ignore[attr-defined]
        base_url="http://partnerhub.test",
    )


@dataclass
class Console:
    """A browser-like client: keeps the session cookie, and posts forms with the CSRF token of
    the last page it fetched."""

    client: httpx.AsyncClient
    csrf: str = ""
    last: httpx.Response | None = field(default=None, repr=False)

    async def sign_in(self, token: str) -> httpx.Response:
        form = await self.client.get("/console/sign-in")
        response = await self.client.post(
            "/console/sign-in", data={"csrf": csrf_of(form.text), "token": token}
        )
        assert response.status_code == 303, response.text
        await self.get("/console")
        return response

    async def get(self, path: str, **params: Any) -> httpx.Response:
        response = await self.client.get(path, params=params or None)
        self.last = response
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True
    ) -> httpx.Response:
        form = {**(data or {}), **({"csrf": self.csrf} if csrf else {})}
        response = await self.client.post(path, data=form)
        self.last = response
        return response


SignIn = Callable[[str], Awaitable[Console]]


@pytest.fixture
async def console_as(world: World) -> AsyncIterator[SignIn]:
    """`await console_as(token)`: a console client signed in with `token` (its own cookies)."""
    clients: list[httpx.AsyncClient] = []

    async def sign_in(token: str) -> Console:
        client = browser(world)
        clients.append(client)
        console = Console(client)
        await console.sign_in(token)
        return console

    yield sign_in
    for client in clients:
        await client.aclose()


@pytest.fixture
async def console(world: World, console_as: SignIn) -> Console:
    """Alice's console, signed in with her every-scope token."""
    return await console_as(world.alice.token)
