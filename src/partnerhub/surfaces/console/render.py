"""Rendering console pages (Jinja2, autoescaped) and its answers to errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from partnerhub.errors import DomainError, MissingScope, RateLimited
from partnerhub.surfaces.common.context import request_id
from partnerhub.surfaces.console import areas
from partnerhub.surfaces.console.session import Session, SignInRequired

# Pages need nothing from elsewhere: scripts, styles and images come from /console/static only.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

# What a redirect after a successful form says, by code (never text from the request).
NOTICES = {
    "saved": "Saved.",
    "created": "Created.",
    "archived": "Archived.",
    "unarchived": "Unarchived.",
    "deleted": "Deleted.",
    "revoked": "Token revoked.",
    "sent": "Test notification sent.",
    "signed-out": "Signed out.",
    "paused": "Paused.",
    "resumed": "Resumed.",
    "canceled": "Canceled.",
}


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value)


def _shown(value: Any) -> str:
    """A history value as it would be sent: JSON, strings unquoted."""
    if value is None:
        return "∅"
    if isinstance(value, str):
        return value
    return orjson.dumps(value, default=str).decode()


_env = Environment(
    loader=PackageLoader("partnerhub.surfaces.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["when"] = _when
_env.filters["shown"] = _shown
_env.filters["urlquote"] = lambda text: quote(str(text), safe="")


def page(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A console page; the layout gets the session, the navigation and the notice of a redirect."""
    actor = session.actor if session is not None else None
    nav = [(area, actor is not None and area.readable(actor)) for area in areas.NAVIGATION]
    notice = NOTICES.get(request.query_params.get("done", ""))
    html = _env.get_template(template).render(
        request=request,
        session=session,
        actor=actor,
        csrf=session.csrf if session is not None else "",
        nav=nav,
        notice=notice,
        areas=areas,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def redirect(path: str, done: str | None = None, **query: str) -> Response:
    """303 to `path` after a form (so a reload does not post it again)."""
    params = {**query, **({"done": done} if done else {})}
    target = f"{path}?{urlencode(params)}" if params else path
    return RedirectResponse(target, status_code=303, headers=HEADERS)


def problems_by_field(exc: DomainError) -> dict[str, list[str]]:
    """Each bad field's messages, for the form to show next to the field ("" for the form)."""
    shown: dict[str, list[str]] = {}
    for problem in exc.problems:
        shown.setdefault(problem.field or "", []).append(problem.message)
    return shown


def sign_in_target(request: Request) -> str:
    """Where the sign-in page sends the user afterwards: this page, if it was a console GET."""
    if request.method == "GET" and request.url.path.startswith("/console/"):
        query = f"?{request.url.query}" if request.url.query else ""
        return request.url.path + query
    return "/console"


def render_error(request: Request, exc: DomainError) -> Response:
    """The console's answer to any failure: the sign-in page when there is no session, else an
    error page with the status and the message (never a stack trace)."""
    if isinstance(exc, SignInRequired):
        return redirect("/console/sign-in", next=sign_in_target(request))
    headers: Mapping[str, str] = {}
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    response = page(
        request,
        "error.html",
        None,
        status=exc.status,
        error=exc,
        scope_needed=exc.scopes if isinstance(exc, MissingScope) else (),
        request_id=request_id(request),
    )
    response.headers.update(headers)
    return response
