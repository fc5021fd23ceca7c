"""One pure-ASGI middleware for every request: request id, extra headers, log line, metrics."""

from __future__ import annotations

import inspect
import re
import time
import uuid
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnerhub.ops.logging import get_logger
from partnerhub.ops.metrics import Metrics

_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
SURFACES = (("/v1/hood", "hood"), ("/core/v2", "core"), ("/crm/v3", "crm"))


def surface_of(path: str) -> str:
    for prefix, name in SURFACES:
        if path.startswith(prefix):
            return name
    return "ops"


class RequestMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.log = get_logger("partnerhub.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = _header(scope, b"x-request-id")
        rid = given if given and _SANE_ID.fullmatch(given) else str(uuid.uuid4())
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = rid
        status = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                for name, value in state.get("extra_headers", {}).items():
                    headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:
            # The client went away; nobody reads an answer and nothing crashed.
            status = 499
        except Exception as exc:
            # Logged here, with the request id and without parameter values (ops/logging),
            # instead of by the server, whose traceback would quote a database error's values.
            self.log.error("crash", request_id=rid, exc_info=exc)
            if not response_started:
                # Starlette answers unexpected exceptions in its outermost middleware, outside
                # this one, so that answer would lack X-Request-Id: answer here instead, with
                # the app's own handler.
                response = await _crash_response(scope, receive, exc)
                await response(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            surface = surface_of(scope["path"])
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(surface, route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(surface, route).observe(elapsed)
            if status == 429:
                self.metrics.rate_limited.labels(surface).inc()
            self.log.info(
                "request",
                request_id=rid,
                account_id=state.get("account_id"),
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )


async def _crash_response(scope: Scope, receive: Receive, exc: Exception) -> Response:
    handlers = getattr(scope.get("app"), "exception_handlers", {})
    handler = handlers.get(Exception) or handlers.get(500)
    try:
        if handler is not None:
            response = handler(Request(scope, receive), exc)
            if inspect.isawaitable(response):
                response = await response
            if isinstance(response, Response):
                return response
    except Exception:  # noqa: S110 - the generic answer below is the fallback
        pass
    return PlainTextResponse("Internal Server Error", status_code=500)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
                return None
    return None
