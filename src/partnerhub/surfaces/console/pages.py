"""Signing in and out, and the console's home page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from partnerhub.errors import Unauthenticated
from partnerhub.surfaces.console import forms, render, session
from partnerhub.surfaces.console.routing import page_router

router = page_router()


def _safe_next(target: str) -> str:
    """Only a console path: never another site (an open redirect) nor a scheme-relative URL."""
    if target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console"


def _sign_in_page(
    request: Request, next_target: str, *, status: int = 200, error: str = ""
) -> HTMLResponse:
    csrf, fresh_nonce = session.sign_in_csrf(request)
    response = render.page(
        request,
        "sign_in.html",
        None,
        status=status,
        error=error,
        sign_in_csrf=csrf,
        next=_safe_next(next_target),
    )
    if fresh_nonce is not None:
        session.keep_sign_in_nonce(request, response, fresh_nonce)
    return response


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    return _sign_in_page(request, request.query_params.get("next", "/console"))


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await forms.read(request)
    session.check_sign_in_csrf(request, form.get("csrf") or None)
    target = _safe_next(form.get("next", "/console"))
    response = render.redirect(target)
    try:
        await session.start(request, response, form.get("token"))
    except Unauthenticated:
        return _sign_in_page(
            request,
            target,
            status=401,
            error="This token is not valid: it is unknown, expired or revoked.",
        )
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    current = await session.current(request)
    if current is not None:
        await forms.posted(request, current)
    response = render.redirect("/console/sign-in", done="signed-out")
    session.end(response)
    return response


@router.get("")
@router.get("/")
async def home(request: Request) -> Response:
    current = await session.current(request)
    if current is None:
        raise session.SignInRequired
    return render.page(request, "home.html", current)
