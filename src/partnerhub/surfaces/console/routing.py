"""What every console page module shares: its router, entering an area, and the form-or-errors
pattern."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import DomainError, NotFound
from partnerhub.surfaces.common.edge import Edge
from partnerhub.surfaces.common.router import lean_router
from partnerhub.surfaces.console import forms, render, session
from partnerhub.surfaces.console.areas import Area
from partnerhub.surfaces.console.forms import Form
from partnerhub.surfaces.console.session import Session

PREFIX = "/console"
# The API's messages by the form field they concern ("" for the form as a whole).
Errors = dict[str, list[str]]


def page_router() -> APIRouter:
    """A console module's router: HTML pages, not part of the API's OpenAPI document."""
    return lean_router(prefix=PREFIX, include_in_schema=False)


async def enter(request: Request, edge: Edge, area: Area, *, write: bool = False) -> Session:
    """The session of a page of `area` whose work is `edge`'s surface: signed in, that
    surface's rate limits spent, and the area's read (or, with `write`, write) scope held."""
    return await session.enter(request, edge, *(area.write if write else area.read))


async def enter_form(request: Request, edge: Edge, area: Area) -> tuple[Session, Form]:
    """A form posted to `area`: entered for writing, and its CSRF token checked before any of
    its fields is looked at."""
    current = await enter(request, edge, area, write=True)
    return current, await forms.posted(request, current)


async def submit(
    action: Callable[[], Awaitable[Response]],
    form_page: Callable[[Errors], Awaitable[Response]],
) -> Response:
    """Run a form's `action`; when the service refuses it (a validation error, a conflict, a
    stale version), show the form again with the API's own messages next to the fields, with
    the error's status. A missing object or scope is not the form's business: it renders
    as the error page."""
    try:
        return await action()
    except NotFound:
        raise
    except DomainError as refused:
        if refused.status in (401, 403, 429) or refused.status >= 500:
            raise
        response = await form_page(render.problems_by_field(refused))
        response.status_code = refused.status
        return response
