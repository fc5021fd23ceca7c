"""Reading a console form: bounded, UTF-8, NUL-free, and carrying the session's CSRF token."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.requests import Request

from partnerhub.errors import InvalidBody, UnsupportedMediaType
from partnerhub.surfaces.common.body import raw_body
from partnerhub.surfaces.common.edge import runtime
from partnerhub.surfaces.common.wire_text import refuse_nul_in
from partnerhub.surfaces.console.session import Session, check_csrf

FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 500


class Form:
    """A posted form's fields, each name with every value sent for it, in order."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name, []).append(value)

    def get(self, name: str, default: str = "") -> str:
        values = self._values.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self._values.get(name, ()))

    def has(self, name: str) -> bool:
        return name in self._values

    def names(self) -> list[str]:
        return list(self._values)


async def read(request: Request) -> Form:
    """The form of a POST, without the CSRF check (sign-in checks its own)."""
    content_type = request.headers.get("content-type")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    raw = await raw_body(request, runtime(request).settings.max_body_bytes)
    if media != FORM and (content_type is not None or raw):
        raise UnsupportedMediaType(f"Content-Type must be {FORM}.", field="Content-Type")
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise InvalidBody("The form is not UTF-8.", field="body") from None
    except ValueError:
        raise InvalidBody(f"The form has more than {MAX_FIELDS} fields.", field="body") from None
    refuse_nul_in(pairs)
    return Form(pairs)


async def posted(request: Request, session: Session) -> Form:
    """The form of a signed-in POST; CsrfRefused (403) unless it carries the session's token."""
    form = await read(request)
    check_csrf(session.csrf, form.get("csrf") or None)
    return form
