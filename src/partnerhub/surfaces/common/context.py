"""Per-request state shared by middleware and routes: extra response headers, the request id."""

from __future__ import annotations

from starlette.requests import Request


def add_response_headers(request: Request, headers: dict[str, str]) -> None:
    """Headers the ops middleware adds to whatever response this request ends with."""
    extra: dict[str, str] = request.scope.setdefault("state", {}).setdefault("extra_headers", {})
    extra.update(headers)


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))
