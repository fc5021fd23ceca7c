"""Characters no stored text can hold, refused once for every route before it runs: a NUL in
the path or in any query parameter (PostgreSQL text cannot contain one). JSON bodies are checked
where they are parsed (body.py)."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from partnerhub.errors import ValidationFailed

NUL = "\x00"


def refuse_nul(request: Request) -> None:
    """An app-wide dependency: its ValidationFailed gets the surface's own envelope."""
    if NUL in request.url.path:
        raise ValidationFailed.one("path", "The path must not contain NUL bytes.")
    refuse_nul_in(request.query_params.multi_items())


def refuse_nul_in(pairs: Iterable[tuple[str, str]]) -> None:
    """ValidationFailed naming the first name or value holding a NUL (query or form fields)."""
    for name, value in pairs:
        if NUL in name or NUL in value:
            field = name.replace(NUL, "\\0")
            raise ValidationFailed.one(field, f"{field} must not contain NUL bytes.")
