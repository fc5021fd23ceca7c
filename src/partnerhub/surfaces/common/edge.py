"""The edge of every route: authenticate, rate-limit, check scope, open the transaction.

A surface builds one `Edge` with its name, its rate-limit policy and header dialect; routes
then stay a few lines of translation.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from partnerhub.config import Settings
from partnerhub.domain.accounts import Actor
from partnerhub.errors import MissingScope, Unauthenticated
from partnerhub.ratelimit import Decision, Policy, WindowState
from partnerhub.services import idempotency
from partnerhub.services.runtime import Runtime, UnitOfWork
from partnerhub.surfaces.common.body import (
    check_shape,
    parse_json,
    raw_body,
    require_json_media_type,
)
from partnerhub.surfaces.common.context import add_response_headers

REPLAYED_HEADERS = ("content-type", "etag", "location")
MALFORMED_BASIC = (
    "Malformed HTTP Basic credentials: send base64 of UTF-8 login:password "
    "(curl -u login:password)."
)
MISSING = "Missing or malformed bearer token: send Authorization: Bearer <token>."
MISSING_BASIC_OR_BEARER = (
    "Missing credentials: send Authorization: Bearer <token>, or the partner's login and "
    "password as HTTP Basic credentials."
)
BEARER_ONLY = (
    "This API takes a bearer token (Authorization: Bearer <token>); HTTP Basic credentials "
    "are accepted on the Core API (/core/v2) only."
)


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def basic(request: Request) -> tuple[str, str] | None:
    """(login, password) from `Authorization: Basic …`; None when the scheme is another one;
    Unauthenticated when it is Basic but not base64 of UTF-8 `login:password`."""
    scheme, _, value = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated(MALFORMED_BASIC) from None
    login, colon, password = decoded.partition(":")
    if not colon or not login:
        raise Unauthenticated(MALFORMED_BASIC)
    return login, password


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True, slots=True)
class Body:
    raw: bytes
    data: Any


PolicyChooser = Callable[[Actor, Settings], Sequence[Policy]]


async def spend(request: Request, policy: Policy, key: str) -> Decision:
    """Spend one unit of the budget `key` under `policy`; RateLimited when it is exhausted."""
    return await runtime(request).limiter.spend(policy, key)


@dataclass(frozen=True)
class Edge:
    """A surface's edge: its name, its rate-limit policies and how it renders their headers."""

    surface: str
    policies: PolicyChooser
    limit_headers: Callable[[Decision], dict[str, str]]
    # Core: a partner's login and password as HTTP Basic credentials, besides bearer tokens.
    accepts_basic: bool = False
    # CRM: JSON numbers kept as sent (HubSpot property values are text), not rounded to floats.
    exact_numbers: bool = False

    async def _authenticate(self, request: Request, rt: Runtime) -> Actor:
        credentials = basic(request)
        if credentials is None:
            secret = bearer(request)
            if secret is None:
                raise Unauthenticated(MISSING_BASIC_OR_BEARER if self.accepts_basic else MISSING)
            return await rt.tokens.verify(secret)
        if not self.accepts_basic:
            raise Unauthenticated(BEARER_ONLY)
        login, password = credentials
        return await rt.password_checks.basic_actor(login, password, client=client_address(request))

    async def enter(
        self, request: Request, *scopes: str, extra: PolicyChooser | None = None
    ) -> Actor:
        """Authenticate (a bearer token; on Core also HTTP Basic), spend one unit of each of the
        account's budgets, then check the scope.

        Each policy is a budget of its own (a burst window, a daily one, a per-route one such as
        CRM search in `extra`); the response headers are rendered from all of their windows.
        """
        rt = runtime(request)
        actor = (await self._authenticate(request, rt)).via(self.surface)
        return await self.admit(request, actor, *scopes, extra=extra)

    async def admit(
        self, request: Request, actor: Actor, *scopes: str, extra: PolicyChooser | None = None
    ) -> Actor:
        """`enter` for an actor authenticated by other means (the console's session): spend
        this surface's budgets of its account, then check the scope."""
        rt = runtime(request)
        request.scope.setdefault("state", {})["account_id"] = actor.account_id
        chosen = [*self.policies(actor, rt.settings)]
        if extra is not None:
            chosen.extend(extra(actor, rt.settings))
        states: list[WindowState] = []
        for policy in chosen:
            decision = await spend(
                request, policy, f"{self.surface}:{policy.name}:{actor.account_id}"
            )
            states.extend(decision.states)
        add_response_headers(request, self.limit_headers(Decision(True, tuple(states), 0)))
        if scopes and not actor.has_any(*scopes):
            raise MissingScope(scopes)
        return actor

    async def json_body(self, request: Request, *, media_type_required: bool = True) -> Body:
        if media_type_required:
            require_json_media_type(request)
        raw = await raw_body(request, runtime(request).settings.max_body_bytes)
        data = parse_json(raw, exact_numbers=self.exact_numbers)
        check_shape(data)
        return Body(raw, data)

    @asynccontextmanager
    async def read(self, request: Request) -> AsyncIterator[UnitOfWork]:
        async with runtime(request).db.transaction() as uow:
            yield uow

    @asynccontextmanager
    async def write(self, request: Request) -> AsyncIterator[UnitOfWork]:
        async with runtime(request).db.transaction(write=True) as uow:
            yield uow

    async def create(
        self,
        request: Request,
        actor: Actor,
        raw: bytes,
        make: Callable[[UnitOfWork], Awaitable[Response]],
    ) -> Response:
        """Run a create in one transaction, honouring Idempotency-Key."""
        key = request.headers.get("idempotency-key")
        async with self.write(request) as uow:
            if key is None:
                return await make(uow)
            fingerprint = idempotency.request_fingerprint(request.method, request.url.path, raw)
            replay = await idempotency.claim(uow, actor, key=key, fingerprint=fingerprint)
            if replay is not None:
                headers = {**replay.headers, "Idempotent-Replayed": "true"}
                return Response(replay.body, replay.status_code, headers=headers)
            response = await make(uow)
            kept = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
            await idempotency.remember(
                uow,
                actor,
                key=key,
                status_code=response.status_code,
                body=bytes(response.body),
                headers=kept,
            )
            return response
