"""Core routes: OAuth password grant, partners (create, list, get, PATCH, PUT, DELETE) and each
partner's history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.core_partners import check_nested_objects
from partnerhub.domain.core_query import CoreListQuery, ListSpec, parse_list_query
from partnerhub.domain.versioning import etag
from partnerhub.errors import UnsupportedMediaType
from partnerhub.services import core_oauth, core_partners
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.common.body import raw_body
from partnerhub.surfaces.common.edge import Edge, client_address, runtime
from partnerhub.surfaces.common.ratelimits import x_ratelimit_headers
from partnerhub.surfaces.common.router import SurfaceRouter
from partnerhub.surfaces.core import mapping, query, ratelimits
from partnerhub.surfaces.core.schemas import (
    CoreAuthentication,
    CoreAuthenticationPatch,
    CoreError,
    CoreHistory,
    CoreOAuthToken,
    CorePartner,
    CorePartnerCreate,
    CorePartnerList,
    CorePartnerPatch,
    CoreTokenRequest,
)

PREFIX = "/core/v2"
router = SurfaceRouter(prefix=PREFIX, tags=["Core"])
edge = Edge("core", ratelimits.policies, x_ratelimit_headers, accepts_basic=True)

READ = ("partners.manage", "partners.read")
CREATE = ("partners.manage", "partners.create")
UPDATE = ("partners.manage", "partners.update")
DELETE = ("partners.manage", "partners.delete")
READ_ERRORS = openapi.errors(CoreError, 401, 403, 404, 422, 429)
WRITE_ERRORS = openapi.errors(CoreError, 400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
FORM = "application/x-www-form-urlencoded"


def _query(request: Request, spec: ListSpec) -> CoreListQuery:
    return parse_list_query(request.query_params.multi_items(), spec)


def _base(request: Request) -> str:
    return str(request.url.replace(query=""))


def _sid(value: str) -> str:
    return ids.uuid_string(value, "partner")


def _one(partner: Any, q: CoreListQuery | None = None) -> Response:
    return responses.json(mapping.partner_wire(partner, q), headers={"ETag": etag(partner.version)})


# OAuth


@router.post(
    "/oauth/token",
    operation_id="core_oauth_token",
    summary="Get an OAuth token (password grant with a partner's login and password)",
    response_model=CoreOAuthToken,
    responses=openapi.errors(CoreError, 401, 413, 415, 422, 429),
    openapi_extra={**openapi.body(CoreTokenRequest, form=True), **openapi.PUBLIC},
)
async def oauth_token(request: Request) -> Response:
    """No bearer token is needed: the login and password authenticate. The answer's
    `access_token` is a partnerhub token bound to that partner."""
    media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if media != FORM:
        raise UnsupportedMediaType(f"Content-Type must be {FORM}.", field="Content-Type")
    grant = mapping.password_grant(
        await raw_body(request, runtime(request).settings.max_body_bytes)
    )
    partner = (
        await runtime(request).password_checks.check(
            grant.login, grant.password, client=client_address(request)
        )
    ).partner
    scopes = core_oauth.requested_scopes(partner, grant.scope)
    async with edge.write(request) as uow:
        issued = await core_oauth.issue(
            uow, partner=partner, scopes=scopes, name=grant.name, expires_in=grant.lifetime
        )
    return responses.json(mapping.token_wire(issued), headers={"Cache-Control": "no-store"})


# Partners


@router.get(
    "/partners",
    operation_id="core_list_partners",
    summary="List partners (the caller and its sub-partners)",
    response_model=CorePartnerList,
    responses=READ_ERRORS,
)
async def list_partners(request: Request) -> Response:
    actor = await edge.enter(request, *READ)
    q = _query(request, query.PARTNERS)
    async with edge.read(request) as uow:
        total, found, has_more = await core_partners.list(uow, actor, query=q)
    items = [mapping.partner_wire(p, q) for p in found]
    links = mapping.pagination(
        _base(request),
        request.query_params.multi_items(),
        q,
        first_sid=found[0].partner_sid if found else None,
        last_sid=found[-1].partner_sid if found else None,
        has_more=has_more,
    )
    envelope = mapping.list_envelope(
        items, total=total, limit=q.limit, offset=q.offset, has_more=has_more, links=links
    )
    return responses.json(envelope)


@router.post(
    "/partners",
    operation_id="core_create_partner",
    summary="Create a sub-partner",
    response_model=CorePartner,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CorePartnerCreate),
)
async def create_partner(request: Request) -> Response:
    actor = await edge.enter(request, *CREATE)
    body = await edge.json_body(request)
    draft = mapping.partner_draft(body.data)

    async def make(uow: Any) -> Response:
        partner = await core_partners.create(uow, actor, draft=draft)
        return responses.json(
            mapping.partner_wire(partner),
            200,
            {"ETag": etag(partner.version), "Location": f"{PREFIX}/partners/{partner.partner_sid}"},
        )

    return await edge.create(request, actor, body.raw, make)


@router.get(
    "/partners/{partner_sid}",
    operation_id="core_get_partner",
    summary="Get a partner by secure id",
    response_model=CorePartner,
    responses=READ_ERRORS,
)
async def get_partner(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *READ)
    sid = _sid(partner_sid)
    q = _query(request, query.PARTNERS)
    async with edge.read(request) as uow:
        partner = await core_partners.get(uow, actor, partner_sid=sid)
    return _one(partner, q)


@router.patch(
    "/partners/{partner_sid}",
    operation_id="core_patch_partner",
    summary="Update a partner (only the fields sent)",
    response_model=CorePartner,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CorePartnerPatch),
)
async def patch_partner(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *UPDATE)
    sid = _sid(partner_sid)
    replace_nested = check_nested_objects(request.query_params.get("nested_objects"))
    changes, echoed = mapping.partner_changes((await edge.json_body(request)).data)
    async with edge.write(request) as uow:
        partner = await core_partners.patch(
            uow,
            actor,
            partner_sid=sid,
            changes=changes,
            echoed=echoed,
            replace_nested=replace_nested,
            if_match=request.headers.get("if-match"),
        )
    return _one(partner)


@router.put(
    "/partners/{partner_sid}",
    operation_id="core_put_partner",
    summary="Replace a partner's updatable fields (all of them required)",
    response_model=CorePartner,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CorePartnerPatch),
)
async def put_partner(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *UPDATE)
    sid = _sid(partner_sid)
    values, echoed = mapping.partner_changes((await edge.json_body(request)).data)
    async with edge.write(request) as uow:
        partner = await core_partners.replace(
            uow,
            actor,
            partner_sid=sid,
            values=values,
            echoed=echoed,
            if_match=request.headers.get("if-match"),
        )
    return _one(partner)


@router.delete(
    "/partners/{partner_sid}",
    operation_id="core_delete_partner",
    summary="Delete a sub-partner that has no sub-partners (partnerhub)",
    status_code=204,
    responses=openapi.errors(CoreError, 401, 403, 404, 409, 412, 429),
)
async def delete_partner(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *DELETE)
    sid = _sid(partner_sid)
    async with edge.write(request) as uow:
        deleted = await core_partners.delete(
            uow, actor, partner_sid=sid, if_match=request.headers.get("if-match")
        )
    runtime(request).password_checks.forget([deleted.id])
    return responses.no_content()


@router.get(
    "/partners/{partner_sid}/authentication",
    operation_id="core_get_partner_authentication",
    summary="How a partner authenticates: its login and allow_basic_authentication (partnerhub)",
    response_model=CoreAuthentication,
    responses=READ_ERRORS,
)
async def get_partner_authentication(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *READ)
    sid = _sid(partner_sid)
    async with edge.read(request) as uow:
        partner = await core_partners.get(uow, actor, partner_sid=sid)
    return _authentication(partner)


@router.patch(
    "/partners/{partner_sid}/authentication",
    operation_id="core_patch_partner_authentication",
    summary="Change a partner's password or allow_basic_authentication (the partner itself or "
    "an ancestor; partnerhub)",
    response_model=CoreAuthentication,
    responses=WRITE_ERRORS,
    openapi_extra=openapi.body(CoreAuthenticationPatch),
)
async def patch_partner_authentication(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *UPDATE)
    sid = _sid(partner_sid)
    settings = mapping.authentication_changes((await edge.json_body(request)).data)
    async with edge.write(request) as uow:
        partner = await core_partners.set_authentication(
            uow,
            actor,
            partner_sid=sid,
            settings=settings,
            if_match=request.headers.get("if-match"),
        )
    runtime(request).password_checks.forget([partner.id])
    return _authentication(partner)


def _authentication(partner: Any) -> Response:
    return responses.json(
        mapping.authentication_wire(partner), headers={"ETag": etag(partner.version)}
    )


@router.get(
    "/partners/{partner_sid}/history",
    operation_id="core_partner_history",
    summary="Change history of a partner, newest first (partnerhub, read-only)",
    response_model=CoreHistory,
    responses=READ_ERRORS,
)
async def partner_history(request: Request, partner_sid: str) -> Response:
    actor = await edge.enter(request, *READ)
    sid = _sid(partner_sid)
    q = _query(request, query.HISTORY)
    async with edge.read(request) as uow:
        total, entries = await core_partners.history_of(
            uow, actor, partner_sid=sid, limit=q.limit, offset=q.offset
        )
    has_more = q.offset + len(entries) < total
    links = mapping.pagination(
        _base(request),
        request.query_params.multi_items(),
        q,
        first_sid=None,
        last_sid=None,
        has_more=has_more,
    )
    items = [mapping.history_wire(e, q) for e in entries]
    return responses.json(
        mapping.list_envelope(
            items, total=total, limit=q.limit, offset=q.offset, has_more=has_more, links=links
        )
    )
