"""Hood routes: partners, partner contacts, members, and each object's history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.hood_listquery import ListQuery, ResourceSpec, parse_list_query
from partnerhub.domain.versioning import etag
from partnerhub.services import history, hood_contacts, hood_members, hood_partners
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.common.edge import Edge
from partnerhub.surfaces.common.ratelimits import x_ratelimit_headers
from partnerhub.surfaces.hood import mapping, query, ratelimits
from partnerhub.surfaces.hood.schemas import (
    HoodContact,
    HoodContactIn,
    HoodContactList,
    HoodContactPatch,
    HoodError,
    HoodHistory,
    HoodMemberList,
    HoodPartner,
    HoodPartnerCreate,
    HoodPartnerList,
    HoodPartnerPatch,
)

PREFIX = "/v1/hood"
edge = Edge("hood", ratelimits.policies, x_ratelimit_headers)
router = APIRouter(prefix=PREFIX, tags=["Hood"])

PARTNERS_READ = ("hood.partners.read", "hood.partners.write")
PARTNERS_WRITE = ("hood.partners.write",)
READ_ERRORS = openapi.errors(HoodError, 400, 401, 403, 429)
WRITE_ERRORS = openapi.errors(HoodError, 400, 401, 403, 412, 413, 415, 422, 429)


def _list_query(request: Request, spec: ResourceSpec) -> ListQuery:
    return parse_list_query(request.query_params.multi_items(), spec)


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


async def _body(request: Request) -> Any:
    return (await edge.json_body(request)).data


# Partners


@router.get(
    "/partners",
    operation_id="hood_list_partners",
    summary="List partners",
    response_model=HoodPartnerList,
    responses=READ_ERRORS,
)
async def list_partners(request: Request) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    q = _list_query(request, query.PARTNERS)
    full = q.view == "full" or bool(q.fields and set(q.fields) & set(mapping.FULL_ONLY))
    async with edge.read(request) as uow:
        total, views = await hood_partners.list(
            uow, actor, query=q, spec=query.PARTNERS, with_contacts=full
        )
    items = [mapping.partner_wire(v, full=full, fields=q.fields) for v in views]
    return responses.json(mapping.envelope(items, total))


@router.post(
    "/partners",
    operation_id="hood_create_partner",
    summary="Create a partner",
    status_code=201,
    response_model=HoodPartner,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(HoodPartnerCreate),
)
async def create_partner(request: Request) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
    body = await edge.json_body(request)
    draft = mapping.partner_draft(body.data)

    async def make(uow: Any) -> Response:
        view = await hood_partners.create(uow, actor, draft=draft)
        return responses.json(
            mapping.partner_wire(view),
            201,
            {
                "ETag": etag(view.partner.version),
                "Location": f"{PREFIX}/partners/{view.partner.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/partners/{partner_id}",
    operation_id="hood_get_partner",
    summary="View a partner",
    response_model=HoodPartnerList,
    responses=READ_ERRORS,
)
async def get_partner(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    q = _list_query(request, query.SINGLE_PARTNER)
    full = request.query_params.get("view", "full") == "full"
    async with edge.read(request) as uow:
        view = await hood_partners.get(uow, actor, partner_id=pid)
    item = mapping.partner_wire(view, full=full, fields=q.fields)
    return responses.json(mapping.envelope([item]), headers={"ETag": etag(view.partner.version)})


@router.patch(
    "/partners/{partner_id}",
    operation_id="hood_update_partner",
    summary="Update a partner",
    status_code=204,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(HoodPartnerPatch),
)
async def update_partner(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    patch = mapping.partner_patch(await _body(request))
    async with edge.write(request) as uow:
        partner = await hood_partners.patch(
            uow, actor, partner_id=pid, patch=patch, if_match=_if_match(request)
        )
    return responses.no_content({"ETag": etag(partner.version)})


async def _set_archived(request: Request, partner_id: str, archived: bool) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    async with edge.write(request) as uow:
        partner = await hood_partners.set_archived(
            uow, actor, partner_id=pid, archived=archived, if_match=_if_match(request)
        )
    return responses.no_content({"ETag": etag(partner.version)})


@router.post(
    "/partners/{partner_id}/archive",
    operation_id="hood_archive_partner",
    summary="Archive a partner",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def archive_partner(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, True)


@router.post(
    "/partners/{partner_id}/unarchive",
    operation_id="hood_unarchive_partner",
    summary="Unarchive a partner (partnerhub)",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def unarchive_partner(request: Request, partner_id: str) -> Response:
    return await _set_archived(request, partner_id, False)


@router.get(
    "/partners/{partner_id}/history",
    operation_id="hood_partner_history",
    summary="Change history of a partner (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=READ_ERRORS,
)
async def partner_history(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    q = _list_query(request, query.PAGE_ONLY)
    async with edge.read(request) as uow:
        await hood_partners.get(uow, actor, partner_id=pid)
        total, entries = await history.list(
            uow,
            actor,
            object_type=hood_partners.OBJECT_TYPE,
            object_id=pid,
            limit=q.per_page,
            offset=q.offset,
        )
    return responses.json(mapping.envelope([mapping.history_wire(e) for e in entries], total))


# Partner contacts


@router.get(
    "/partners/{partner_id}/contacts",
    operation_id="hood_list_partner_contacts",
    summary="List partner contacts",
    response_model=HoodContactList,
    responses=READ_ERRORS,
)
async def list_contacts(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    async with edge.read(request) as uow:
        found = await hood_contacts.list(uow, actor, partner_id=pid)
    return responses.json(mapping.envelope([mapping.contact_wire(c) for c in found]))


@router.post(
    "/partners/{partner_id}/contacts",
    operation_id="hood_create_partner_contact",
    summary="Create a partner contact",
    status_code=201,
    response_model=HoodContact,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(HoodContactIn),
)
async def create_contact(request: Request, partner_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
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
                "Location": f"{PREFIX}/partners/{pid}/contacts/{contact.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_get_partner_contact",
    summary="View a partner contact",
    response_model=HoodContactList,
    responses=READ_ERRORS,
)
async def get_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    async with edge.read(request) as uow:
        contact = await hood_contacts.get(uow, actor, partner_id=pid, contact_id=cid)
    return responses.json(
        mapping.envelope([mapping.contact_wire(contact)]), headers={"ETag": etag(contact.version)}
    )


@router.patch(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_update_partner_contact",
    summary="Update a partner contact",
    status_code=204,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(HoodContactPatch),
)
async def update_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    data = mapping.contact_patch(await _body(request))
    async with edge.write(request) as uow:
        contact = await hood_contacts.patch(
            uow,
            actor,
            partner_id=pid,
            contact_id=cid,
            type=data.type,
            value=data.value,
            if_match=_if_match(request),
        )
    return responses.no_content({"ETag": etag(contact.version)})


@router.delete(
    "/partners/{partner_id}/contacts/{contact_id}",
    operation_id="hood_delete_partner_contact",
    summary="Delete a partner contact",
    status_code=204,
    responses=WRITE_ERRORS,
)
async def delete_contact(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_WRITE)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    async with edge.write(request) as uow:
        await hood_contacts.delete(
            uow, actor, partner_id=pid, contact_id=cid, if_match=_if_match(request)
        )
    return responses.no_content()


@router.get(
    "/partners/{partner_id}/contacts/{contact_id}/history",
    operation_id="hood_partner_contact_history",
    summary="Change history of a partner contact (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=READ_ERRORS,
)
async def contact_history(request: Request, partner_id: str, contact_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    pid = ids.numeric(partner_id, "partner")
    cid = ids.uuid_string(contact_id, "contact")
    q = _list_query(request, query.PAGE_ONLY)
    async with edge.read(request) as uow:
        total, entries = await hood_contacts.history_of(
            uow, actor, partner_id=pid, contact_id=cid, limit=q.per_page, offset=q.offset
        )
    return responses.json(mapping.envelope([mapping.history_wire(e) for e in entries], total))


# Members


@router.get(
    "/members",
    operation_id="hood_list_members",
    summary="List members (account managers)",
    response_model=HoodMemberList,
    responses=READ_ERRORS,
)
async def list_members(request: Request) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    q = _list_query(request, query.MEMBERS)
    async with edge.read(request) as uow:
        total, found = await hood_members.list(uow, actor, query=q, spec=query.MEMBERS)
    items = [_select(mapping.member_wire(m), q.fields) for m in found]
    return responses.json(mapping.envelope(items, total))


@router.get(
    "/members/{member_id}",
    operation_id="hood_get_member",
    summary="View a member",
    response_model=HoodMemberList,
    responses=READ_ERRORS,
)
async def get_member(request: Request, member_id: str) -> Response:
    actor = await edge.enter(request, *PARTNERS_READ)
    mid = ids.numeric(member_id, "member")
    async with edge.read(request) as uow:
        member = await hood_members.get(uow, actor, member_id=mid)
    return responses.json(mapping.envelope([mapping.member_wire(member)]))


def _select(item: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    return {k: item[k] for k in fields if k in item} if fields else item
