"""One pure-ASGI middleware for every request: request id, extra headers, log line, metrics."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

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

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                for name, value in state.get("extra_headers", {}).items():
                    headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            try:
                return str(value.decode("latin-1"))
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
                return None
    return None
