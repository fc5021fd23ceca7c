"""The HTTP edge of a real server: Host and X-Forwarded-* are not believed, slow and idle
connections are closed, an unread body is not drained, over-long heads get JSON answers."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from compat_servers import Server

# Short deadlines so the tests wait little; SOCKET_WAIT bounds every wait for the server.
DEADLINE = "1"
SOCKET_WAIT = 4.0  # well above DEADLINE, below uvicorn's own 5 s keep-alive default
MAX_BODY = 1_048_576


@pytest.fixture(scope="module")
def edge_server(start_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("edge") / "partnerhub.db"
    server: Server = start_server(
        f"sqlite:///{path}",
        env={
            "PARTNERHUB_KEEP_ALIVE_TIMEOUT_SECONDS": DEADLINE,
            "PARTNERHUB_HEADER_TIMEOUT_SECONDS": DEADLINE,
            "PARTNERHUB_BODY_TIMEOUT_SECONDS": DEADLINE,
        },
    )
    yield server
    server.stop()


def _connect(server: Server) -> socket.socket:
    parts = urlsplit(server.base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=SOCKET_WAIT)
    sock.settimeout(SOCKET_WAIT)
    return sock


def _response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response with a content-length body: status, headers, body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "connection closed inside the body"
        body += chunk
    return int(status_line.split()[1]), headers, body


def _closed_by_server(sock: socket.socket) -> bool:
    """True when the server closes the connection within SOCKET_WAIT (no data meanwhile)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


class TestHostAndForwardedHeaders:
    def test_pagination_links_ignore_host_and_forged_forwarded_headers(
        self, edge_server: Server
    ) -> None:
        answer = httpx.get(
            f"{edge_server.base_url}/core/v2/partners",
            params={"offset": "1"},
            headers={
                "Authorization": f"Bearer {edge_server.token}",
                "Host": "evil.example",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.66",
                "X-Forwarded-Host": "evil.example",
            },
        )
        assert answer.status_code == 200, answer.text
        previous = answer.json()["pagination"]["previous"]
        assert previous.startswith(f"{edge_server.base_url}/core/v2/partners?"), previous


class TestTimeouts:
    def test_idle_new_connection_is_closed(self, edge_server: Server) -> None:
        with _connect(edge_server) as sock:
            assert _closed_by_server(sock)

    def test_idle_keep_alive_connection_is_closed(self, edge_server: Server) -> None:
        with _connect(edge_server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, _ = _response(sock)
            assert status == 200 and headers.get("connection") != "close"
            assert _closed_by_server(sock)

    def test_headers_trickled_are_cut_off(self, edge_server: Server) -> None:
        with _connect(edge_server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            closed = False
            for _ in range(int(SOCKET_WAIT / 0.25)):  # a byte every 0.25 s, never the end
                try:
                    sock.sendall(b"X")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                time.sleep(0.25)
            assert closed or _closed_by_server(sock)

    def test_body_trickled_is_cut_off(self, edge_server: Server) -> None:
        with _connect(edge_server) as sock:
            sock.sendall(
                b"POST /v1/hood/partners HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer " + edge_server.token.encode() + b"\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )
            assert _closed_by_server(sock)


class TestUnreadBody:
    def test_413_on_a_chunked_body_closes_the_connection(self, edge_server: Server) -> None:
        chunk = b"x" * 65536
        with _connect(edge_server) as sock:
            sock.sendall(
                b"POST /v1/hood/partners HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer " + edge_server.token.encode() + b"\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            for _ in range(MAX_BODY // len(chunk) + 1):  # one chunk past the limit, no end
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            status, headers, body = _response(sock)
            assert status == 413
            assert json.loads(body)["code"] == 413  # the Hood envelope
            assert headers["connection"] == "close"
            assert _closed_by_server(sock)


class TestOverlongHead:
    def test_long_url_gets_the_surface_envelope(self, edge_server: Server) -> None:
        answer = httpx.get(
            f"{edge_server.base_url}/v1/hood/partners",
            params={"q": "x" * 20_000},
            headers={"Authorization": f"Bearer {edge_server.token}"},
        )
        assert answer.status_code == 414
        body = answer.json()
        assert body["code"] == 414 and "16384 bytes" in body["message"] and body["trace_id"]

    def test_large_headers_get_the_surface_envelope(self, edge_server: Server) -> None:
        answer = httpx.get(
            f"{edge_server.base_url}/core/v2/partners",
            headers={"Authorization": f"Bearer {edge_server.token}", "X-Big": "y" * 40_000},
        )
        assert answer.status_code == 431
        body = answer.json()  # the Core envelope
        assert body["message"] == "Request Header Fields Too Large"
        assert body["errors"][0]["field"] == "headers"
        assert "32768 bytes" in body["errors"][0]["message"]

    def test_huge_url_is_refused_by_the_server_in_json(self, edge_server: Server) -> None:
        with _connect(edge_server) as sock:
            sock.sendall(b"GET /v1/hood/partners?q=" + b"x" * 200_000)
            status, headers, body = _response(sock)
        assert status == 414
        assert headers["content-type"] == "application/json"
        assert json.loads(body)["status"] == 414

    def test_a_large_body_is_not_counted_as_head(self, edge_server: Server) -> None:
        """A 67 KB body on a kept-alive connection (make fuzz found a 431 for it): the head
        bound counts the head only."""
        body = json.dumps({"inputs": [{"id": "=" + "*" * 67_000, "properties": {}}]})
        headers = {"Authorization": f"Bearer {edge_server.token}"}
        with httpx.Client(base_url=edge_server.base_url, headers=headers) as client:
            for _ in range(3):
                answer = client.post(
                    "/crm/v3/objects/partner_clients/batch/upsert",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                assert answer.status_code == 400, answer.text  # the id is too long
                assert answer.json()["category"] == "VALIDATION_ERROR"
