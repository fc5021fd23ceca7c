"""Characters no stored text can hold, refused once for every request before routing: a NUL in
the path or in any query parameter (PostgreSQL text cannot contain one). JSON bodies are checked
where they are parsed (body.py)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.types import Scope

from partnerhub.errors import ValidationFailed

NUL = "\x00"


def nul_refusal(scope: Scope) -> ValidationFailed | None:
    """The error for a request whose path or query holds a NUL, checked by the request
    middleware before routing (a FastAPI dependency cost every request ~10-40 µs); the app's
    handler gives it the surface's own envelope."""
    if NUL in scope["path"]:
        return ValidationFailed.one("path", "The path must not contain NUL bytes.")
    raw_query: bytes = scope.get("query_string", b"")
    # A NUL in a decoded name or value comes from a NUL byte or a %00 escape in the raw query.
    if b"\x00" in raw_query or b"%00" in raw_query:
        pairs = parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True)
        try:
            refuse_nul_in(pairs)
        except ValidationFailed as refused:
            return refused
    return None


def refuse_nul_in(pairs: Iterable[tuple[str, str]]) -> None:
    """ValidationFailed naming the first name or value holding a NUL (query or form fields)."""
    for name, value in pairs:
        if NUL in name or NUL in value:
            field = name.replace(NUL, "\\0")
            raise ValidationFailed.one(field, f"{field} must not contain NUL bytes.")
