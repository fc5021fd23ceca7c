"""Hood partner routes: create, read, list, patch, archive, unarchive, and history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.versioning import etag
from partnerhub.services import hood_partners
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.mapping import envelope
from partnerhub.surfaces.hood.partners import mapping
from partnerhub.surfaces.hood.partners.schemas import (
    HoodPartner,
    HoodPartnerCreate,
    HoodPartnerList,
    HoodPartnerPatch,
)
from partnerhub.surfaces.hood.routing import edge
from partnerhub.surfaces.hood.schemas import HoodHistory

router = routing.resource_router()


@router.get(
    "/partners",
    operation_id="hood_list_partners",
    summary="List partners",
    response_model=HoodPartnerList,
    responses=routing.READ_ERRORS,
)
async def list_partners(request: Request) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    q = routing.list_query(request, query.PARTNERS)
    full = q.view == "full" or bool(q.fields and set(q.fields) & set(mapping.FULL_ONLY))
    async with edge.read(request) as uow:
        total, views = await hood_partners.list(
            uow, actor, query=q, spec=query.PARTNERS, with_contacts=full
        )
    items = [mapping.partner_wire(v, full=full, fields=q.fields) for v in views]
    return responses.json(envelope(items, total))


@router.post(
    "/partners",
    operation_id="hood_create_partner",
    summary="Create a partner",
    status_code=201,
    response_model=HoodPartner,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodPartnerCreate),
)
async def create_partner(request: Request) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    body = await edge.json_body(request)
    draft = mapping.partner_draft(body.data)

    async def make(uow: Any) -> Response:
        view = await hood_partners.create(uow, actor, draft=draft)
        return responses.json(
            mapping.partner_wire(view),
            201,
            {
                "ETag": etag(view.partner.version),
                "Location": f"{routing.PREFIX}/partners/{view.partner.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/partners/{partner_id}",
    operation_id="hood_get_partner",
    summary="View a partner",
    response_model=HoodPartnerList,
    responses=routing.READ_ERRORS,
)
async def get_partner(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    q = routing.list_query(request, query.SINGLE_PARTNER)
    full = request.query_params.get("view", "full") == "full"
    async with edge.read(request) as uow:
        view = await hood_partners.get(uow, actor, partner_id=pid)
    item = mapping.partner_wire(view, full=full, fields=q.fields)
    return responses.json(envelope([item]), headers={"ETag": etag(view.partner.version)})


@router.patch(
    "/partners/{partner_id}",
    operation_id="hood_update_partner",
    summary="Update a partner",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodPartnerPatch),
)
async def update_partner(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    patch = mapping.partner_patch(await routing.json_data(request))
    async with edge.write(request) as uow:
        partner = await hood_partners.patch(
            uow, actor, partner_id=pid, patch=patch, if_match=routing.if_match(request)
        )
    return responses.no_content({"ETag": etag(partner.version)})


async def _set_archived(request: Request, partner_id: str, archived: bool) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    async with edge.write(request) as uow:
        partner = await hood_partners.set_archived(
            uow, actor, partner_id=pid, archived=archived, if_match=routing.if_match(request)
        )
    return responses.no_content({"ETag": etag(partner.version)})


@router.post(
    "/partners/{partner_id}/archive",
    operation_id="hood_archive_partner",
    summary="Archive a partner",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def archive_partner(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, True)


@router.post(
    "/partners/{partner_id}/unarchive",
    operation_id="hood_unarchive_partner",
    summary="Unarchive a partner (partnerhub)",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def unarchive_partner(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, False)


@router.get(
    "/partners/{partner_id}/history",
    operation_id="hood_partner_history",
    summary="Change history of a partner (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=routing.READ_ERRORS,
)
async def partner_history(request: Request, partner_id: str) -> Response:
    return await routing.history_page(
        request, routing.PARTNERS_READ, "partner", partner_id, hood_partners.history_of
    )
