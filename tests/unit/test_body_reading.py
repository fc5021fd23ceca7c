"""Reading request bodies: a client that disconnects mid-body is a 4xx, never a crash."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from partnerhub.errors import InvalidBody, PayloadTooLarge
from partnerhub.surfaces.common.body import raw_body


def _request(messages: list[dict[str, object]]) -> Request:
    async def receive() -> dict[str, object]:
        return messages.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    return Request(scope, receive)


async def test_client_disconnect_mid_body_is_invalid_body() -> None:
    request = _request(
        [{"type": "http.request", "body": b'{"na', "more_body": True}, {"type": "http.disconnect"}]
    )
    with pytest.raises(InvalidBody, match="closed the connection"):
        await raw_body(request, 1024)


async def test_body_over_the_limit_is_too_large() -> None:
    request = _request(
        [
            {"type": "http.request", "body": b"x" * 600, "more_body": True},
            {"type": "http.request", "body": b"x" * 600, "more_body": False},
        ]
    )
    with pytest.raises(PayloadTooLarge):
        await raw_body(request, 1024)


async def test_whole_body_is_returned() -> None:
    request = _request(
        [
            {"type": "http.request", "body": b'{"a":', "more_body": True},
            {"type": "http.request", "body": b"1}", "more_body": False},
        ]
    )
    assert await raw_body(request, 1024) == b'{"a":1}'
