"""The console's session: a partnerhub token kept in an HttpOnly, SameSite=Strict cookie.

The cookie holds the token encrypted under the server's secret key (`Runtime.secrets`), with the
time it was made: it is useless to anyone without the key and lapses after SESSION_SECONDS.
Every request verifies the token again as the API does, so a revoked or expired token ends the
session within the token cache's time. Every form carries a CSRF token derived from the cookie
(a keyed digest), so a page of another origin can neither read it nor forge one; the sign-in
form has one too, bound to a random pre-session cookie.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.auth.secrets import UndecryptableSecret
from partnerhub.domain.accounts import Actor
from partnerhub.errors import DomainError, Unauthenticated
from partnerhub.surfaces.common.edge import Edge, runtime

PATH = "/console"
SESSION_COOKIE = "partnerhub_console"
SIGN_IN_COOKIE = "partnerhub_console_sign_in"
SESSION_SECONDS = 8 * 3600
SURFACE = "console"  # what history records as the surface of the console's changes
_COOKIE_MAX = 1024  # an encrypted token is ~250 characters; anything longer is not ours


class SignInRequired(DomainError):
    """No session, or one that lapsed: the console answers with the sign-in page."""

    status = 401
    code = "SIGN_IN_REQUIRED"

    def __init__(self) -> None:
        super().__init__("Sign in with a partnerhub token to use the console.")


class CsrfRefused(DomainError):
    status = 403
    code = "CSRF_REFUSED"

    def __init__(self) -> None:
        super().__init__(
            "The form's CSRF token is missing or does not match this session: reload the page "
            "and send the form again."
        )


@dataclass(frozen=True, slots=True)
class Session:
    actor: Actor
    csrf: str


def _csrf_for(request: Request, cookie: str) -> str:
    return runtime(request).secrets.fingerprint(f"console-csrf:{cookie}")


def _secure(request: Request) -> bool:
    public = runtime(request).settings.public_url
    return request.url.scheme == "https" or bool(public and public.startswith("https:"))


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def _cookie(request: Request, name: str) -> str | None:
    value = request.cookies.get(name)
    return value if value and len(value) <= _COOKIE_MAX else None


async def current(request: Request) -> Session | None:
    """The signed-in session, or None (no cookie, a lapsed or altered one, a revoked token)."""
    cookie = _cookie(request, SESSION_COOKIE)
    if cookie is None:
        return None
    rt = runtime(request)
    try:
        secret = rt.secrets.decrypt(cookie, ttl=SESSION_SECONDS)
        actor = await rt.tokens.verify(secret)
    except (UndecryptableSecret, Unauthenticated):
        return None
    return Session(actor.via(SURFACE), _csrf_for(request, cookie))


async def enter(request: Request, edge: Edge, *scopes: str) -> Session:
    """The session of a console page whose work is `edge`'s surface: signed in, that surface's
    budget spent (the API's rate limits hold here too), and one of `scopes` held (else 403)."""
    session = await current(request)
    if session is None:
        raise SignInRequired
    await edge.admit(request, session.actor, *scopes)
    return session


def check_csrf(expected: str, sent: str | None) -> None:
    if not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused


def sign_in_csrf(request: Request) -> tuple[str, str | None]:
    """The sign-in form's CSRF token, and the new pre-session nonce to keep (None: the request
    has one already)."""
    nonce = _cookie(request, SIGN_IN_COOKIE)
    fresh = None
    if nonce is None:
        nonce = fresh = secrets.token_urlsafe(32)
    return _csrf_for(request, nonce), fresh


def keep_sign_in_nonce(request: Request, response: Response, nonce: str) -> None:
    _set_cookie(response, request, SIGN_IN_COOKIE, nonce, SESSION_SECONDS)


def check_sign_in_csrf(request: Request, sent: str | None) -> None:
    nonce = _cookie(request, SIGN_IN_COOKIE)
    if nonce is None:
        raise CsrfRefused
    check_csrf(_csrf_for(request, nonce), sent)


async def start(request: Request, response: Response, token: str) -> Actor:
    """Verify `token` as the API would and keep it in the session cookie on `response`."""
    rt = runtime(request)
    actor = await rt.tokens.verify(token.strip())
    _set_cookie(
        response, request, SESSION_COOKIE, rt.secrets.encrypt(token.strip()), SESSION_SECONDS
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=PATH)
    return actor


def end(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PATH, httponly=True, samesite="strict")
