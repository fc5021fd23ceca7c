"""Every route runs on `LeanRoute`'s handler (the request and its path parameters, no dependency
solving), and a route that asks FastAPI for more keeps FastAPI's own handler."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from partnerhub.app import create_app
from partnerhub.config import Settings
from partnerhub.surfaces.common.router import LeanRoute, lean_router


def api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        nested = getattr(route, "original_router", route)
        yield from api_routes(getattr(nested, "routes", []))


def test_every_route_of_the_app_is_lean(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/lean.db", test_api=True)
    routes = list(api_routes(create_app(settings).router.routes))
    assert len(routes) > 100
    assert all(isinstance(r, LeanRoute) for r in routes)
    not_lean = {r.path for r in routes if not r.lean}  # type: ignore[attr-defined]
    # Two test-control routes read typed query and path parameters through FastAPI.
    assert not_lean == {"/_partnerhub/test/journal", "/_partnerhub/test/faults/{fault_id}"}


async def test_lean_and_fastapi_handlers_answer_alike() -> None:
    router = lean_router()

    @router.get("/lean/{name}")
    async def lean(request: Request, name: str) -> Response:
        return JSONResponse({"name": name, "q": request.query_params.get("q")})

    @router.get("/typed/{number}")
    async def typed(number: int, q: str = Query("none")) -> Response:
        return JSONResponse({"number": number, "q": q})

    app = FastAPI()
    app.include_router(router)
    by_path = {r.path: r for r in api_routes(app.router.routes)}
    assert isinstance(by_path["/lean/{name}"], LeanRoute)
    assert by_path["/lean/{name}"].lean  # type: ignore[attr-defined]
    assert not by_path["/typed/{number}"].lean  # type: ignore[attr-defined]

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answer = await client.get("/lean/%C3%A9t%C3%A9?q=1")
        assert answer.json() == {"name": "été", "q": "1"}
        assert (await client.get("/typed/7?q=x")).json() == {"number": 7, "q": "x"}
        assert (await client.get("/typed/seven")).status_code == 422


async def test_dependencies_of_an_inclusion_keep_fastapis_handler() -> None:
    calls: list[str] = []

    async def guard(request: Request) -> None:
        calls.append(request.url.path)
        if request.headers.get("x-let-in") != "yes":
            raise HTTPException(403)

    router = lean_router()

    @router.get("/guarded/{name}")
    async def guarded(request: Request, name: str) -> Response:
        return JSONResponse({"name": name})

    app = FastAPI()
    app.include_router(router, dependencies=[Depends(guard)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/guarded/a")).status_code == 403
        answer = await client.get("/guarded/b", headers={"x-let-in": "yes"})
        assert answer.json() == {"name": "b"}
    assert calls == ["/guarded/a", "/guarded/b"]
