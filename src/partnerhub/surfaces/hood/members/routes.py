"""Hood member routes: list and read the account's managers."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.services import hood_members
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.mapping import envelope, select_fields
from partnerhub.surfaces.hood.members import mapping
from partnerhub.surfaces.hood.members.schemas import HoodMemberList
from partnerhub.surfaces.hood.routing import edge

router = routing.resource_router()


@router.get(
    "/members",
    operation_id="hood_list_members",
    summary="List members (account managers)",
    response_model=HoodMemberList,
    responses=routing.READ_ERRORS,
)
async def list_members(request: Request) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    q = routing.list_query(request, query.MEMBERS)
    async with edge.read(request) as uow:
        total, found = await hood_members.list(uow, actor, query=q, spec=query.MEMBERS)
    items = [select_fields(mapping.member_wire(m), q.fields) for m in found]
    return responses.json(envelope(items, total))


@router.get(
    "/members/{member_id}",
    operation_id="hood_get_member",
    summary="View a member",
    response_model=HoodMemberList,
    responses=routing.READ_ERRORS,
)
async def get_member(request: Request, member_id: str) -> Response:
    actor = await edge.enter(request, *routing.PARTNERS_READ)
    mid = ids.numeric(member_id, "member")
    async with edge.read(request) as uow:
        member = await hood_members.get(uow, actor, member_id=mid)
    return responses.json(envelope([mapping.member_wire(member)]))
