"""What every console page module shares: its router, and the form-or-errors pattern."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from partnerhub.errors import DomainError, NotFound
from partnerhub.surfaces.console import render
from partnerhub.surfaces.console.session import Session

PREFIX = "/console"


def page_router() -> APIRouter:
    """A console module's router: HTML pages, not part of the API's OpenAPI document."""
    return APIRouter(prefix=PREFIX, include_in_schema=False)


async def submit(
    request: Request,
    session: Session,
    action: Callable[[], Awaitable[Response]],
    form_page: Callable[[dict[str, list[str]]], Awaitable[Response]],
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


def values(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The posted text of each of `names` (for refilling a form)."""
    return {name: form.get(name) for name in names}
