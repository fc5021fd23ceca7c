"""The test-control API's middleware, installed only when PARTNERHUB_TEST_API=true (with it off
the app has no such middleware at all): around every request it catches up with resets made on
other workers, injects the fault the request meets, and journals the request.

The journal entry is written before the last part of the answer is handed to the server, so a
client that has its answer finds the request in the journal at once (on any worker); it costs
one small insert per request, only with the test API on.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnerhub.domain.clock import utcnow
from partnerhub.ops.logging import get_logger
from partnerhub.ops.middleware import SURFACES, handled
from partnerhub.services import test_control, test_journal
from partnerhub.services.runtime import Runtime
from partnerhub.surfaces.testing.faults import error_for
from partnerhub.surfaces.testing.routing import PREFIX

# Bodies are journaled up to this size; a larger one only by its size.
MAX_JOURNALED_BODY = 65_536


def surface_of(path: str) -> str:
    if path == PREFIX or path.startswith(PREFIX + "/"):
        return "test"
    for prefix, name in SURFACES:
        if path.startswith(prefix):
            return name
    return "other"


class TestControlMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime, worker: test_control.WorkerState) -> None:
        self.app = app
        self.rt = runtime
        self.worker = worker
        self.keep = runtime.settings.test_journal_size
        self.log = get_logger("partnerhub.test_control")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path, method = scope["path"], scope["method"]
        surface = surface_of(path)
        body = bytearray()
        body_size = 0
        status = 500
        recorded = False
        fault_id: int | None = None

        async def receive_kept() -> Message:
            nonlocal body_size
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                body_size += len(chunk)
                if body_size <= MAX_JOURNALED_BODY:
                    body.extend(chunk)
            return message

        async def record() -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            state: dict[str, Any] = scope.get("state", {})
            entry = test_journal.Request(
                at=utcnow(),
                method=method,
                path=path,
                query=scope.get("query_string", b"").decode("latin-1"),
                status=status,
                surface=surface,
                account_id=state.get("account_id"),
                request_id=str(state.get("request_id", "")),
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                fault_id=fault_id,
                body=bytes(body),
                body_size=body_size,
                content_type=_header(scope, b"content-type"),
            )
            try:
                await test_journal.record(self.rt.db, entry, keep=self.keep)
            except Exception as exc:  # a journal that cannot be written must not fail the answer
                self.log.warning("journal_not_written", error=type(exc).__name__)

        async def send_recorded(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await record()
            await send(message)

        try:
            fault = await test_control.before_request(
                self.rt, self.worker, surface=surface, method=method, path=path
            )
            if fault is not None:
                fault_id = fault.id
                if fault.spec.delay_ms:
                    await asyncio.sleep(fault.spec.delay_ms / 1000)
                if fault.spec.status is not None:
                    response = await handled(scope, receive_kept, error_for(fault, surface))
                    await response(scope, receive_kept, send_recorded)
                    return
            await self.app(scope, receive_kept, send_recorded)
        finally:
            await record()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None
