"""Rendering bodies with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON = "application/json"


class JSONBody(Response):
    media_type = JSON

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONBody(data, status_code=status, headers=headers)


def no_content(headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=204, headers=headers)
