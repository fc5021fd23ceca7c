"""Characters no stored text can hold, refused once for every route before it runs: a NUL in
the path or in any query parameter (PostgreSQL text cannot contain one). JSON bodies are checked
where they are parsed (body.py)."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from partnerhub.errors import ValidationFailed

NUL = "\x00"


async def refuse_nul(request: Request) -> None:
    """An app-wide dependency: its ValidationFailed gets the surface's own envelope.

    Async on purpose: FastAPI runs a plain `def` dependency in its thread pool, a thread
    hand-off on every request of every route."""
    if NUL in request.scope["path"]:
        raise ValidationFailed.one("path", "The path must not contain NUL bytes.")
    raw_query: bytes = request.scope.get("query_string", b"")
    # A NUL in a decoded name or value comes from a NUL byte or a %00 escape in the raw query.
    if b"\x00" in raw_query or b"%00" in raw_query:
        refuse_nul_in(request.query_params.multi_items())


def refuse_nul_in(pairs: Iterable[tuple[str, str]]) -> None:
    """ValidationFailed naming the first name or value holding a NUL (query or form fields)."""
    for name, value in pairs:
        if NUL in name or NUL in value:
            field = name.replace(NUL, "\\0")
            raise ValidationFailed.one(field, f"{field} must not contain NUL bytes.")
