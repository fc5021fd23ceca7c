"""Hood campaign routes (reference §5.2, §5.4): list, get, create, PATCH (JSON Merge Patch),
archive, pause, resume, cancel and history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.accounts import Actor
from partnerhub.domain.hood_campaigns import Campaign
from partnerhub.domain.versioning import etag
from partnerhub.services import hood_campaigns
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.campaigns import mapping
from partnerhub.surfaces.hood.campaigns.schemas import (
    HoodCampaign,
    HoodCampaignCreate,
    HoodCampaignList,
    HoodCampaignPatch,
    HoodCampaignReason,
    HoodCampaignResume,
)
from partnerhub.surfaces.hood.mapping import envelope
from partnerhub.surfaces.hood.routing import edge
from partnerhub.surfaces.hood.schemas import HoodHistory

router = routing.resource_router()
READ = ("hood.campaigns.read", "hood.campaigns.write")
WRITE = ("hood.campaigns.write",)


@router.get(
    "/campaigns",
    operation_id="hood_list_campaigns",
    summary="List campaigns",
    response_model=HoodCampaignList,
    responses=routing.READ_ERRORS,
)
async def list_campaigns(request: Request) -> Response:
    actor = await edge.enter(request, *READ)
    q = routing.list_query(request, query.CAMPAIGNS)
    async with edge.read(request) as uow:
        total, found = await hood_campaigns.list(uow, actor, query=q, spec=query.CAMPAIGNS)
    return responses.json(
        envelope([mapping.campaign_wire(c, fields=q.fields) for c in found], total)
    )


@router.post(
    "/campaigns",
    operation_id="hood_create_campaign",
    summary="Create a campaign",
    status_code=201,
    response_model=HoodCampaign,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodCampaignCreate),
)
async def create_campaign(request: Request) -> Response:
    actor = await edge.enter(request, *WRITE)
    body = await edge.json_body(request)
    draft = mapping.campaign_draft(body.data)

    async def make(uow: Any) -> Response:
        campaign = await hood_campaigns.create(uow, actor, draft=draft)
        return responses.json(
            mapping.campaign_wire(campaign),
            201,
            {
                "ETag": etag(campaign.version),
                "Location": f"{routing.PREFIX}/campaigns/{campaign.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/campaigns/{campaign_id}",
    operation_id="hood_get_campaign",
    summary="View a campaign",
    response_model=HoodCampaignList,
    responses=routing.READ_ERRORS,
)
async def get_campaign(request: Request, campaign_id: str) -> Response:
    actor = await edge.enter(request, *READ)
    cid = ids.numeric(campaign_id, "campaign")
    q = routing.list_query(request, query.SINGLE_CAMPAIGN)
    async with edge.read(request) as uow:
        campaign = await hood_campaigns.get(uow, actor, campaign_id=cid)
    item = mapping.campaign_wire(campaign, fields=q.fields)
    return responses.json(envelope([item]), headers={"ETag": etag(campaign.version)})


async def _enter_write(request: Request, campaign_id: str) -> tuple[Actor, int]:
    return await edge.enter(request, *WRITE), ids.numeric(campaign_id, "campaign")


def _changed(campaign: Campaign) -> Response:
    return responses.no_content({"ETag": etag(campaign.version)})


async def _optional_json(request: Request) -> Any:
    """The JSON body, or `{}` when none was sent (pause and cancel take an optional reason)."""
    if request.headers.get("content-length") in (None, "0") and (
        "transfer-encoding" not in request.headers
    ):
        return {}
    return await routing.json_data(request)


@router.patch(
    "/campaigns/{campaign_id}",
    operation_id="hood_update_campaign",
    summary="Update a campaign (JSON Merge Patch)",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodCampaignPatch),
)
async def update_campaign(request: Request, campaign_id: str) -> Response:
    actor, cid = await _enter_write(request, campaign_id)
    patch = mapping.campaign_patch(await routing.json_data(request))
    async with edge.write(request) as uow:
        campaign = await hood_campaigns.patch(
            uow, actor, campaign_id=cid, patch=patch, if_match=routing.if_match(request)
        )
    return _changed(campaign)


@router.post(
    "/campaigns/{campaign_id}/archive",
    operation_id="hood_archive_campaign",
    summary="Archive a campaign (not while running or scheduled)",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def archive_campaign(request: Request, campaign_id: str) -> Response:
    actor, cid = await _enter_write(request, campaign_id)
    async with edge.write(request) as uow:
        campaign = await hood_campaigns.archive(
            uow, actor, campaign_id=cid, if_match=routing.if_match(request)
        )
    return _changed(campaign)


@router.post(
    "/campaigns/{campaign_id}/pause",
    operation_id="hood_pause_campaign",
    summary="Pause a running or scheduled campaign",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodCampaignReason),
)
async def pause_campaign(request: Request, campaign_id: str) -> Response:
    actor, cid = await _enter_write(request, campaign_id)
    reason = mapping.reason(await _optional_json(request))
    async with edge.write(request) as uow:
        campaign = await hood_campaigns.pause(
            uow, actor, campaign_id=cid, reason=reason, if_match=routing.if_match(request)
        )
    return _changed(campaign)


@router.post(
    "/campaigns/{campaign_id}/resume",
    operation_id="hood_resume_campaign",
    summary="Resume a paused campaign: now, or at a time",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodCampaignResume),
)
async def resume_campaign(request: Request, campaign_id: str) -> Response:
    actor, cid = await _enter_write(request, campaign_id)
    command = mapping.resume(await routing.json_data(request))
    async with edge.write(request) as uow:
        campaign = await hood_campaigns.resume(
            uow, actor, campaign_id=cid, resume=command, if_match=routing.if_match(request)
        )
    return _changed(campaign)


@router.post(
    "/campaigns/{campaign_id}/cancel",
    operation_id="hood_cancel_campaign",
    summary="Cancel a campaign for good",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodCampaignReason),
)
async def cancel_campaign(request: Request, campaign_id: str) -> Response:
    actor, cid = await _enter_write(request, campaign_id)
    reason = mapping.reason(await _optional_json(request))
    async with edge.write(request) as uow:
        campaign = await hood_campaigns.cancel(
            uow, actor, campaign_id=cid, reason=reason, if_match=routing.if_match(request)
        )
    return _changed(campaign)


@router.get(
    "/campaigns/{campaign_id}/history",
    operation_id="hood_campaign_history",
    summary="Change history of a campaign (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=routing.READ_ERRORS,
)
async def campaign_history(request: Request, campaign_id: str) -> Response:
    return await routing.history_page(
        request, READ, "campaign", campaign_id, hood_campaigns.history_of
    )
