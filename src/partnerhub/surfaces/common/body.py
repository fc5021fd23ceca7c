"""Reading a JSON request body safely: size, media type, syntax, depth and NUL bytes."""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

from partnerhub.domain import numbers
from partnerhub.errors import InvalidBody, PayloadTooLarge, UnsupportedMediaType, ValidationFailed

MAX_DEPTH = 32
# Any one array or object of a body: a backstop above every per-field bound (README "Limits"),
# so no field's validation ever walks an unbounded collection.
MAX_ITEMS = 1000


async def raw_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    size_declared = numbers.ascii_int(declared, max_digits=30) if declared is not None else None
    if size_declared is not None and size_declared > max_bytes:
        raise PayloadTooLarge(f"The request body exceeds {max_bytes} bytes.", field="body")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(f"The request body exceeds {max_bytes} bytes.", field="body")
            chunks.append(chunk)
    except ClientDisconnect:
        # Nobody will read the answer; what matters is a 4xx in the log, not a crash.
        raise InvalidBody(
            "The client closed the connection before the body was complete.", field="body"
        ) from None
    return b"".join(chunks)


def is_json_media_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def require_json_media_type(request: Request) -> None:
    if not is_json_media_type(request.headers.get("content-type")):
        raise UnsupportedMediaType("Content-Type must be application/json.", field="Content-Type")


def parse_json(raw: bytes | str, *, where: str = "", exact_numbers: bool = False) -> Any:
    """Parse, or raise InvalidBody with the parser's location of the error.

    `exact_numbers`: every number as sent — integers exactly (orjson gives a float beyond 64
    bits), and numbers with a fraction or exponent as their text (a float would round them).
    Only bodies that hold a float pay for the second, slower parse."""
    try:
        data = orjson.loads(raw)
        if exact_numbers and _holds_float(data):
            data = _exact(raw)
        return data
    except orjson.JSONDecodeError as exc:
        raise InvalidBody(
            f"Invalid JSON{where}: {exc.msg} at line {exc.lineno} column {exc.colno}"
            f" (char {exc.pos}).",
            field="body",
        ) from None


def _holds_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_holds_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_float(v) for v in value)
    return False


def _exact(raw: bytes | str) -> Any:
    try:
        return json.loads(raw, parse_float=str, parse_constant=_no_constant)
    except ValueError:  # an integer of more digits than Python converts (4300)
        raise InvalidBody("Invalid JSON: a number has too many digits.", field="body") from None


def _no_constant(name: str) -> Any:  # pragma: no cover - orjson has refused NaN/Infinity first
    raise ValueError(f"{name} is not JSON")


def check_shape(value: Any, path: str = "", depth: int = 0) -> None:
    """Reject nesting deeper than MAX_DEPTH, arrays or objects of more than MAX_ITEMS items, and
    strings or keys holding NUL bytes."""
    if depth > MAX_DEPTH:
        raise InvalidBody(f"The request body nests deeper than {MAX_DEPTH} levels.", field="body")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationFailed.one(
                path or "body", f"{path or 'body'} must not contain NUL bytes."
            )
    elif isinstance(value, dict):
        _count(value, path)
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                raise ValidationFailed.one(child, "Field names must not contain NUL bytes.")
            check_shape(item, child, depth + 1)
    elif isinstance(value, list):
        _count(value, path)
        for index, item in enumerate(value):
            check_shape(item, f"{path}.{index}" if path else str(index), depth + 1)


def _count(value: dict[str, Any] | list[Any], path: str) -> None:
    if len(value) > MAX_ITEMS:
        what = "keys" if isinstance(value, dict) else "items"
        raise ValidationFailed.one(
            path or "body", f"{path or 'body'} must have at most {MAX_ITEMS} {what}."
        )
