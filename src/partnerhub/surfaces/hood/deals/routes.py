"""Hood deal routes: list, get, create, PATCH, archive and history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.versioning import etag
from partnerhub.services import hood_deals
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.deals import mapping
from partnerhub.surfaces.hood.deals.schemas import (
    HoodDeal,
    HoodDealCreate,
    HoodDealList,
    HoodDealPatch,
)
from partnerhub.surfaces.hood.mapping import envelope
from partnerhub.surfaces.hood.routing import edge
from partnerhub.surfaces.hood.schemas import HoodHistory

router = routing.resource_router()
READ = ("hood.deals.read", "hood.deals.write")
WRITE = ("hood.deals.write",)


@router.get(
    "/deals",
    operation_id="hood_list_deals",
    summary="List deals",
    response_model=HoodDealList,
    responses=routing.READ_ERRORS,
)
async def list_deals(request: Request) -> Response:
    actor = await edge.enter(request, *READ)
    q = routing.list_query(request, query.DEALS)
    async with edge.read(request) as uow:
        total, deals = await hood_deals.list(uow, actor, query=q, spec=query.DEALS)
    return responses.json(envelope([mapping.deal_wire(d, fields=q.fields) for d in deals], total))


@router.post(
    "/deals",
    operation_id="hood_create_deal",
    summary="Create a deal",
    status_code=201,
    response_model=HoodDeal,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodDealCreate),
)
async def create_deal(request: Request) -> Response:
    actor = await edge.enter(request, *WRITE)
    body = await edge.json_body(request)
    draft = mapping.deal_draft(body.data)

    async def make(uow: Any) -> Response:
        deal = await hood_deals.create(uow, actor, draft=draft)
        return responses.json(
            mapping.deal_wire(deal),
            201,
            {"ETag": etag(deal.version), "Location": f"{routing.PREFIX}/deals/{deal.id}"},
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/deals/{deal_id}",
    operation_id="hood_get_deal",
    summary="View a deal",
    response_model=HoodDealList,
    responses=routing.READ_ERRORS,
)
async def get_deal(request: Request, deal_id: str) -> Response:
    actor = await edge.enter(request, *READ)
    did = ids.numeric(deal_id, "deal")
    q = routing.list_query(request, query.SINGLE_DEAL)
    async with edge.read(request) as uow:
        deal = await hood_deals.get(uow, actor, deal_id=did)
    item = mapping.deal_wire(deal, fields=q.fields)
    return responses.json(envelope([item]), headers={"ETag": etag(deal.version)})


@router.patch(
    "/deals/{deal_id}",
    operation_id="hood_update_deal",
    summary="Update a deal",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodDealPatch),
)
async def update_deal(request: Request, deal_id: str) -> Response:
    actor = await edge.enter(request, *WRITE)
    did = ids.numeric(deal_id, "deal")
    patch = mapping.deal_patch(await routing.json_data(request))
    async with edge.write(request) as uow:
        deal = await hood_deals.patch(
            uow, actor, deal_id=did, patch=patch, if_match=routing.if_match(request)
        )
    return responses.no_content({"ETag": etag(deal.version)})


@router.post(
    "/deals/{deal_id}/archive",
    operation_id="hood_archive_deal",
    summary="Archive a deal (and its campaigns)",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def archive_deal(request: Request, deal_id: str) -> Response:
    actor = await edge.enter(request, *WRITE)
    did = ids.numeric(deal_id, "deal")
    async with edge.write(request) as uow:
        deal = await hood_deals.archive(uow, actor, deal_id=did, if_match=routing.if_match(request))
    return responses.no_content({"ETag": etag(deal.version)})


@router.get(
    "/deals/{deal_id}/history",
    operation_id="hood_deal_history",
    summary="Change history of a deal (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=routing.READ_ERRORS,
)
async def deal_history(request: Request, deal_id: str) -> Response:
    return await routing.history_page(request, READ, "deal", deal_id, hood_deals.history_of)
