"""Hood integration routes (seed 002): list, get, create, PATCH, DELETE (ours), validate,
test-notification and history."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from partnerhub.domain import ids
from partnerhub.domain.versioning import etag
from partnerhub.services import hood_integrations
from partnerhub.surfaces.common import openapi, responses
from partnerhub.surfaces.common.edge import runtime
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.integrations import mapping
from partnerhub.surfaces.hood.integrations.schemas import (
    HoodIntegration,
    HoodIntegrationCreate,
    HoodIntegrationList,
    HoodIntegrationPatch,
    HoodTestNotification,
)
from partnerhub.surfaces.hood.mapping import envelope
from partnerhub.surfaces.hood.routing import edge
from partnerhub.surfaces.hood.schemas import HoodHistory

router = routing.resource_router()
READ = ("hood.integrations.read", "hood.integrations.write")
WRITE = ("hood.integrations.write",)


@router.get(
    "/integrations",
    operation_id="hood_list_integrations",
    summary="List integrations",
    response_model=HoodIntegrationList,
    responses=routing.READ_ERRORS,
)
async def list_integrations(request: Request) -> Response:
    actor = await edge.enter(request, *READ)
    q = routing.list_query(request, query.INTEGRATIONS)
    secrets = runtime(request).secrets
    async with edge.read(request) as uow:
        total, views = await hood_integrations.list(
            uow, actor, secrets=secrets, query=q, spec=query.INTEGRATIONS
        )
    items = [mapping.integration_wire(v, fields=q.fields) for v in views]
    return responses.json(envelope(items, total))


@router.post(
    "/integrations",
    operation_id="hood_create_integration",
    summary="Create an integration",
    status_code=201,
    response_model=HoodIntegration,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodIntegrationCreate),
)
async def create_integration(request: Request) -> Response:
    actor = await edge.enter(request, *WRITE)
    body = await edge.json_body(request)
    draft = mapping.integration_draft(body.data)
    secrets = runtime(request).secrets

    async def make(uow: Any) -> Response:
        view = await hood_integrations.create(uow, actor, secrets=secrets, draft=draft)
        return responses.json(
            mapping.integration_wire(view),
            201,
            {
                "ETag": etag(view.integration.version),
                "Location": f"{routing.PREFIX}/integrations/{view.integration.id}",
            },
        )

    return await edge.create(request, actor, body.raw, make)


@router.post(
    "/integrations/validate",
    operation_id="hood_validate_integration",
    summary="Validate integration settings with the provider",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodIntegrationCreate),
)
async def validate_integration(request: Request) -> Response:
    actor = await edge.enter(request, *WRITE)
    draft = mapping.integration_draft(await routing.json_data(request))
    rt = runtime(request)
    await hood_integrations.validate(
        rt.db, actor, secrets=rt.secrets, transports=rt.transports, draft=draft
    )
    return responses.no_content()


@router.get(
    "/integrations/{integration_id}",
    operation_id="hood_get_integration",
    summary="View an integration",
    response_model=HoodIntegrationList,
    responses=routing.READ_ERRORS,
)
async def get_integration(request: Request, integration_id: str) -> Response:
    actor = await edge.enter(request, *READ)
    iid = ids.numeric(integration_id, "integration")
    q = routing.list_query(request, query.SINGLE_INTEGRATION)
    secrets = runtime(request).secrets
    async with edge.read(request) as uow:
        view = await hood_integrations.get(uow, actor, secrets=secrets, integration_id=iid)
    item = mapping.integration_wire(view, fields=q.fields)
    return responses.json(envelope([item]), headers={"ETag": etag(view.integration.version)})


@router.patch(
    "/integrations/{integration_id}",
    operation_id="hood_update_integration",
    summary="Update an integration",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodIntegrationPatch),
)
async def update_integration(request: Request, integration_id: str) -> Response:
    actor = await edge.enter(request, *WRITE)
    iid = ids.numeric(integration_id, "integration")
    patch = mapping.integration_patch(await routing.json_data(request))
    secrets = runtime(request).secrets
    async with edge.write(request) as uow:
        integration = await hood_integrations.patch(
            uow,
            actor,
            secrets=secrets,
            integration_id=iid,
            patch=patch,
            if_match=routing.if_match(request),
        )
    return responses.no_content({"ETag": etag(integration.version)})


@router.delete(
    "/integrations/{integration_id}",
    operation_id="hood_delete_integration",
    summary="Delete an integration (partnerhub)",
    status_code=204,
    responses=routing.WRITE_ERRORS,
)
async def delete_integration(request: Request, integration_id: str) -> Response:
    actor = await edge.enter(request, *WRITE)
    iid = ids.numeric(integration_id, "integration")
    secrets = runtime(request).secrets
    async with edge.write(request) as uow:
        await hood_integrations.delete(
            uow, actor, secrets=secrets, integration_id=iid, if_match=routing.if_match(request)
        )
    return responses.no_content()


@router.get(
    "/integrations/{integration_id}/history",
    operation_id="hood_integration_history",
    summary="Change history of an integration (partnerhub, read-only)",
    response_model=HoodHistory,
    responses=routing.READ_ERRORS,
)
async def integration_history(request: Request, integration_id: str) -> Response:
    return await routing.history_page(
        request, READ, "integration", integration_id, hood_integrations.history_of
    )


@router.post(
    "/test-notification",
    operation_id="hood_test_notification",
    summary="Send a test notification through an integration",
    status_code=204,
    responses=routing.WRITE_ERRORS,
    openapi_extra=openapi.body(HoodTestNotification),
)
async def test_notification(request: Request) -> Response:
    actor = await edge.enter(request, *WRITE)
    command = mapping.test_notification(await routing.json_data(request))
    rt = runtime(request)
    await hood_integrations.test_notification(
        rt.db, actor, secrets=rt.secrets, transports=rt.transports, request=command
    )
    return responses.no_content()
