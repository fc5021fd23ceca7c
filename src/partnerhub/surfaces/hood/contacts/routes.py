"""Hood partner-contact routes: list, create, read, patch, delete, and history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.versioning import etag
from partnerhub.services import hood_contacts
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.contacts import mapping
from partnerhub.surfaces.hood.contacts.schemas import (
    HoodContact,
    HoodContactIn,
    HoodContactList,
    HoodContactPatch,
)
from partnerhub.surfaces.hood.mapping import envelope, history_wire
from partnerhub.surfaces.hood.routing import edge
from partnerhub.surfaces.hood.schemas import HoodHistory

router = routing.resource_router()


@router.get(
    "/partners/{partner_id}/contacts",
    operation_id="hood_list_partner_contacts",
    summary="List partner contacts",
    response_model=HoodContactList,
    responses=routing.READ_ERRORS,
)
async def list_contacts(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    async with edge.read(request) as uow:
        found = await hood_contacts.list(uow, actor, partner_id=pid)
    return responses.json(envelope([mapping.contact_wire(c) for c in found]))


@router.post(
    "/partners/{partner_id}/contacts",
    operation_id="hood_create_partner_contact",
    summary="Create a partner contact",
    status_code=201,
    response_model=HoodContact,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodContactIn),
)
async def create_contact(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    body = await edge.json_body(request)
    data = mapping.contact_create(body.data)

    async def make(uow: Any) -> Response:
        contact = await hood_contacts.create(
            uow, actor, partner_id=pid, type=data.type, value=data.value
        )
        return responses.json(
            mapping.contact_wire(contact),
            201,
            {
                "ETag": etag(contact.version),
                "Location": f"{routing.PREFIX}/partners/{pid}/contacts/{contact.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_get_partner_contact",
    summary="View a partner contact",
    response_model=HoodContactList,
    responses=routing.READ_ERRORS,
)
async def get_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    async with edge.read(request) as uow:
        contact = await hood_contacts.get(uow, actor, partner_id=pid, contact_id=cid)
    return responses.json(
        envelope([mapping.contact_wire(contact)]), headers={"ETag": etag(contact.version)}
    )


@router.patch(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_update_partner_contact",
    summary="Update a partner contact",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodContactPatch),
)
async def update_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    data = mapping.contact_patch(await routing.json_data(request))
    async with edge.write(request) as uow:
        contact = await hood_contacts.patch(
            uow,
            actor,
            partner_id=pid,
            contact_id=cid,
            type=data.type,
            value=data.value,
            if_match=routing.if_match(request),
        )
    return responses.no_content({"ETag": etag(contact.version)})


@router.delete(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_delete_partner_contact",
    summary="Delete a partner contact",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def delete_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    async with edge.write(request) as uow:
        await hood_contacts.delete(
            uow, actor, partner_id=pid, contact_id=cid, if_match=routing.if_match(request)
        )
    return responses.no_content()


@router.get(
    "/partners/{partner_id}/contacts/{contact_id}/history",
    operation_id="hood_partner_contact_history",
    summary="Change history of a partner contact (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=routing.READ_ERRORS,
)
async def contact_history(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    q = routing.list_query(request, query.PAGE_ONLY)
    async with edge.read(request) as uow:
        total, entries = await hood_contacts.history_of(
            uow, actor, partner_id=pid, contact_id=cid, limit=q.per_page, offset=q.offset
        )
    return responses.json(envelope([history_wire(e) for e in entries], total))
