"""Turning every failure into the envelope of the surface the request came through.

Each surface registers one renderer for its path prefix; this module routes domain errors,
FastAPI's own validation errors, unknown routes and unexpected exceptions to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match

from partnerhub.errors import DomainError, FieldProblem, ValidationFailed
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.common.context import request_id

Renderer = Callable[[Request, DomainError], Response]


class RouteNotFound(DomainError):
    status = 404
    code = "ROUTE_NOT_FOUND"


def route_not_found(request: Request) -> RouteNotFound:
    return RouteNotFound(f"No route {request.method} {request.url.path}.")


class MethodNotAllowed(DomainError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class InternalError(DomainError):
    status = 500
    code = "INTERNAL_ERROR"


def _plain(request: Request, exc: DomainError) -> Response:
    """Outside any surface (ops routes): a small generic envelope."""
    return responses.json(
        {"status": exc.status, "message": exc.message, "request_id": request_id(request)},
        exc.status,
    )


def _from_validation(exc: RequestValidationError) -> ValidationFailed:
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "header", "body")]
        name = ".".join(loc) or None
        problems.append(FieldProblem(name, f"{name or 'request'}: {err.get('msg', 'invalid')}."))
    return ValidationFailed(problems or [FieldProblem(None, "The request is not valid.")])


def _leaf_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        yield from _leaf_routes(included.routes) if included is not None else (route,)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def install(app: FastAPI, renderers: dict[str, Renderer]) -> None:
    ordered = sorted(renderers.items(), key=lambda item: -len(item[0]))

    def render(request: Request, exc: DomainError) -> Response:
        path = request.url.path
        for prefix, renderer in ordered:
            if path == prefix or path.startswith(prefix + "/"):
                return renderer(request, exc)
        return _plain(request, exc)

    async def on_domain(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return render(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return render(request, _from_validation(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            error: DomainError = MethodNotAllowed(f"Method {request.method} is not allowed here.")
        elif exc.status_code == 404:
            error = route_not_found(request)
        else:
            error = DomainError(str(exc.detail))
            error.status = exc.status_code
        response = render(request, error)
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        return render(request, InternalError("Internal server error."))

    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
