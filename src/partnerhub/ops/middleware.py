"""One pure-ASGI middleware for every request: request id, extra headers, log line, metrics,
and the HTTP edge: the URL the app sees (never the client's Host), heads the server marked too
large (ops/http), and connections whose request body was left unread (closed, not drained).
"""

from __future__ import annotations

import inspect
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnerhub.errors import DomainError
from partnerhub.ops.http import MAX_HEADER_BYTES, MAX_HEADERS, MAX_URL_BYTES, OVERSIZED
from partnerhub.ops.logging import get_logger
from partnerhub.ops.metrics import Metrics

_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
SURFACES = (("/v1/hood", "hood"), ("/core/v2", "core"), ("/crm/v3", "crm"))


def surface_of(path: str) -> str:
    for prefix, name in SURFACES:
        if path.startswith(prefix):
            return name
    return "ops"


class UriTooLong(DomainError):
    status = 414
    code = "URI_TOO_LONG"


class HeadersTooLarge(DomainError):
    status = 431
    code = "HEADERS_TOO_LARGE"


OVERSIZED_ERRORS: dict[str, Callable[[], DomainError]] = {
    "url": lambda: UriTooLong(f"The URL exceeds {MAX_URL_BYTES} bytes.", field="url"),
    "headers": lambda: HeadersTooLarge(
        f"The request headers exceed {MAX_HEADER_BYTES} bytes or {MAX_HEADERS} fields.",
        field="headers",
    ),
}


# What the app refuses before routing (a NUL in the path, say): the error, or None.
Refusal = Callable[[Scope], DomainError | None]


class RequestMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        public_url: str | None = None,
        refusals: tuple[Refusal, ...] = (),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.refusals = refusals
        self.log = get_logger("partnerhub.access")
        self.public = public_url.split("://", 1) if public_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = _header(scope, b"x-request-id")
        rid = given if given and _SANE_ID.fullmatch(given) else str(uuid.uuid4())
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = rid
        self._own_origin(scope)
        status = 500
        response_started = False
        body_pending = _has_body(scope)

        async def receive_tracked() -> Message:
            nonlocal body_pending
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_pending = False
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                if body_pending:
                    # The rest of the body is not worth reading (a 413, a 401 before it):
                    # the server closes the connection after this answer instead.
                    headers.append((b"connection", b"close"))
                for name, value in state.get("extra_headers", {}).items():
                    headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        try:
            error = self._refused(scope, state)
            if error is not None:
                response = await handled(scope, receive_tracked, error)
                await response(scope, receive_tracked, send_with_headers)
            else:
                await self.app(scope, receive_tracked, send_with_headers)
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
                response = await handled(scope, receive, exc)
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

    def _refused(self, scope: Scope, state: dict[str, Any]) -> DomainError | None:
        oversized = state.get(OVERSIZED)
        if oversized in OVERSIZED_ERRORS:
            return OVERSIZED_ERRORS[oversized]()
        for refusal in self.refusals:
            error = refusal(scope)
            if error is not None:
                return error
        return None

    def _own_origin(self, scope: Scope) -> None:
        """Make the URL the app builds links and redirects from the public one, or else the
        server's own address: the client's Host header is its own claim, never echoed."""
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"host"]
        if self.public is not None:
            scope["scheme"], netloc = self.public
            headers.append((b"host", netloc.encode()))
        elif scope.get("server"):
            headers.append((b"host", _netloc(scope["scheme"], *scope["server"]).encode()))
        scope["headers"] = headers


def _netloc(scheme: str, host: str, port: int | None) -> str:
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return host if port is None or port == default else f"{host}:{port}"


def _has_body(scope: Scope) -> bool:
    for key, value in scope.get("headers", []):
        if key == b"transfer-encoding" or (key == b"content-length" and value not in (b"0", b"")):
            return True
    return False


async def handled(scope: Scope, receive: Receive, exc: Exception) -> Response:
    """The app's own answer to `exc`: its handler for the nearest class (domain errors: the
    surface's envelope), or a generic 500."""
    handlers = getattr(scope.get("app"), "exception_handlers", {})
    handler = next((handlers[k] for k in type(exc).__mro__ if k in handlers), None)
    handler = handler or handlers.get(500)
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
