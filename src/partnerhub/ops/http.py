"""The HTTP server: uvicorn's httptools protocol with deadlines and bounds on a request's head.

uvicorn times out only idle keep-alive connections. Here a connection must also deliver its
request line and headers within `header_timeout`, and its body within `body_timeout` of the
headers (slowloris), or it is closed. httptools bounds neither the URL nor the headers; beyond
`MAX_URL_BYTES` / `MAX_HEADER_BYTES` the rest is not kept, and the request reaches the app marked
(`OVERSIZED` in its state) so the app answers 414 / 431 in the surface's envelope.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_URL_BYTES = 16_384
MAX_HEADER_BYTES = 32_768  # names and values of all headers together
MAX_HEADERS = 100
# A head still incomplete after this many bytes is answered by the server itself (httptools
# holds one header's value in memory until it ends); the bounds above leave room for the app.
MAX_HEAD_BYTES = 65_536
OVERSIZED = "partnerhub.oversized"  # state key: "url" or "headers"
# Attributes of uvicorn's Config that carry the deadlines (set by `ops.server.config`).
HEADER_TIMEOUT = "partnerhub_header_timeout"
BODY_TIMEOUT = "partnerhub_body_timeout"


class DeadlineHttpProtocol(HttpToolsProtocol):
    def __init__(self, config: Any, server_state: Any, app_state: Any, _loop: Any = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._header_timeout: float = getattr(config, HEADER_TIMEOUT, 10.0)
        self._body_timeout: float = getattr(config, BODY_TIMEOUT, 60.0)
        self._deadline: asyncio.TimerHandle | None = None
        self._oversized: str | None = None
        self._header_bytes = 0
        self._in_head = True
        self._head_bytes = 0
        self._heads_completed = 0

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        in_head = self._in_head
        self._heads_completed = 0
        super().data_received(data)
        # A chunk that completed a head holds body bytes (perhaps a whole request): not head.
        if not (in_head and self._in_head) or self._heads_completed or self.transport.is_closing():
            return
        self._head_bytes += len(data)
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refuse(431 if self.headers else 414)

    def _refuse(self, status: int) -> None:
        """Answer a head too large to hand to the app, and close the connection."""
        reason = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}[status]
        what = b"request line" if status == 414 else b"request headers"
        body = b'{"status":%d,"message":"The %s exceed %d bytes."}' % (status, what, MAX_HEAD_BYTES)
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
            b"connection: close\r\n\r\n%s" % (status, reason, len(body), body)
        )
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self._header_timeout)  # a connection that never sends a byte is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0
        self._oversized = None
        self._header_bytes = 0
        if self._deadline is None:  # a keep-alive connection's next request
            self._arm(self._header_timeout)

    def on_url(self, url: bytes) -> None:
        if len(self.url) + len(url) > MAX_URL_BYTES:
            self._oversized = self._oversized or "url"
            url = url[: max(MAX_URL_BYTES - len(self.url), 0)]
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES or len(self.headers) >= MAX_HEADERS:
            self._oversized = self._oversized or "headers"
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._oversized is not None:
            self.scope["state"][OVERSIZED] = self._oversized
        self._in_head = False
        self._heads_completed += 1
        super().on_headers_complete()
        self._arm(self._body_timeout)

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head = True
        super().on_message_complete()
