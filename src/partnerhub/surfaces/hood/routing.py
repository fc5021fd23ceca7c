"""What the routes of every Hood resource share: their router's prefix and tag, the edge, the
scopes, the documented errors and the request readers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec, parse_list_query
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.common.edge import Edge
from partnerhub.surfaces.common.ratelimits import x_ratelimit_headers
from partnerhub.surfaces.common.router import lean_router
from partnerhub.surfaces.hood import query, ratelimits
from partnerhub.surfaces.hood.mapping import envelope, history_wire
from partnerhub.surfaces.hood.schemas import HoodError

PREFIX = "/v1/hood"
edge = Edge("hood", ratelimits.policies, x_ratelimit_headers)

PARTNERS_READ = ("hood.partners.read", "hood.partners.write")
PARTNERS_WRITE = ("hood.partners.write",)
READ_ERRORS = openapi.errors(HoodError, 400, 401, 403, 429)
WRITE_ERRORS = openapi.errors(HoodError, 400, 401, 403, 412, 413, 415, 422, 429)


def resource_router() -> APIRouter:
    """A resource's router; `surfaces.hood.router` gathers them."""
    return lean_router(prefix=PREFIX, tags=["Hood"])


def list_query(request: Request, spec: ResourceSpec) -> ListQuery:
    return parse_list_query(request.query_params.multi_items(), spec)


def if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


async def json_data(request: Request) -> Any:
    """The parsed JSON body (for routes that do not need its raw bytes)."""
    return (await edge.json_body(request)).data


# A service's `history_of(uow, actor, *, object_id, limit, offset)`: the object's history page,
# newest first (NotFound when the object is not the account's).
HistoryReader = Callable[..., Awaitable[tuple[int, list[HistoryEntry]]]]


async def history_page(
    request: Request, scopes: tuple[str, ...], kind: str, raw_id: str, read: HistoryReader
) -> Response:
    """The answer of a resource's `GET …/{id}/history` route."""
    actor = await edge.enter(request, *scopes)
    object_id = ids.numeric(raw_id, kind)
    q = list_query(request, query.PAGE_ONLY)
    async with edge.read(request) as uow:
        total, entries = await read(
            uow, actor, object_id=object_id, limit=q.per_page, offset=q.offset
        )
    return responses.json(envelope([history_wire(e) for e in entries], total))
