"""A surface's router: FastAPI's, answering "no match" at once for paths outside the surface.

FastAPI tries the routes of the app in order, each included router's one by one, and a route's
match costs a few microseconds of bookkeeping besides its regular expression: a Core request
otherwise tried all 40 Hood routes first, and `/healthz` every route of every surface.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter
from fastapi import routing as fastapi_routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def literal_prefix(routes: list[BaseRoute]) -> str:
    """The longest text every route's path starts with before its first parameter."""
    paths = [getattr(route, "path", "") for route in routes]
    if not paths:
        return ""
    # Character by character on purpose: a prefix that ends mid-segment guards as well.
    return os.path.commonprefix([path.split("{", 1)[0] for path in paths])  # noqa: RUF071


class SurfaceRouter(APIRouter):
    def __init__(self, **options: Any) -> None:
        options.setdefault("route_class", LeanRoute)
        super().__init__(**options)

    _guard: tuple[int, str] | None = None  # (route count it was computed for, prefix)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if not path.startswith(self._prefix()):
            return Match.NONE, {}
        return super().matches(scope)

    def _prefix(self) -> str:
        if self._guard is None or self._guard[0] != len(self.routes):
            self._guard = (len(self.routes), literal_prefix(self.routes))
        return self._guard[1]


def lean_router(**options: Any) -> APIRouter:
    """An APIRouter whose routes are `LeanRoute`s."""
    return APIRouter(route_class=LeanRoute, **options)


class LeanRoute(APIRoute):
    """An APIRoute that calls its endpoint with the request and the path parameters as text.

    Every partnerhub endpoint reads its own query, headers and body (the surfaces' dialects
    decide what a bad one means), so FastAPI's per-request dependency solving only ever
    injected the request and validated path parameters already text: ~25 % of a GET's time
    in-process. An endpoint that asks for anything else (a typed parameter, a query
    parameter), or a route with dependencies (its own, its router's, or those it was included
    with), keeps FastAPI's own handler. The route stays FastAPI's for routing and OpenAPI.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        call = _lean_call(self, _solved_dependant(self))
        return call if call is not None else super().get_route_handler()

    @property
    def lean(self) -> bool:
        return _lean_call(self, self.dependant) is not None


def _solved_dependant(route: APIRoute) -> Dependant:
    """What FastAPI would solve for the handler being built: the route's own dependant, or, while
    FastAPI builds the handler of one inclusion of it (`include_router(…, dependencies=…)`),
    that inclusion's, which adds the inclusion's dependencies."""
    var = getattr(fastapi_routing, "_effective_route_context_var", None)
    context = var.get() if var is not None else None
    if context is not None and context.original_route is route and context.dependant is not None:
        found: Dependant = context.dependant
        return found
    return route.dependant


def _lean_call(
    route: APIRoute, d: Dependant
) -> Callable[[Request], Coroutine[Any, Any, Response]] | None:
    if (
        d.dependencies
        or d.query_params
        or d.header_params
        or d.cookie_params
        or d.body_params
        or any(f.field_info.annotation is not str for f in d.path_params)
        or not inspect.iscoroutinefunction(route.endpoint)
    ):
        return None
    endpoint, request_name = route.endpoint, d.request_param_name

    async def handle(request: Request) -> Response:
        given = {request_name: request} if request_name else {}
        response: Response = await endpoint(**given, **request.path_params)
        return response

    return handle
