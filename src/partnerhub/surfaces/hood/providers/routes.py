"""Hood provider routes: the built-in providers and their settings schemas (read-only)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from partnerhub.services import hood_providers
from partnerhub.surfaces.common import responses
from partnerhub.surfaces.hood import query, routing
from partnerhub.surfaces.hood.integrations.routes import READ
from partnerhub.surfaces.hood.mapping import envelope, select_fields
from partnerhub.surfaces.hood.providers import mapping
from partnerhub.surfaces.hood.providers.schemas import HoodProviderList
from partnerhub.surfaces.hood.routing import edge

router = routing.resource_router()


@router.get(
    "/providers",
    operation_id="hood_list_providers",
    summary="List providers",
    response_model=HoodProviderList,
    responses=routing.READ_ERRORS,
)
async def list_providers(request: Request) -> Response:
    await edge.enter(request, *READ)
    q = routing.list_query(request, query.PROVIDERS)
    total, found = hood_providers.list(query=q)
    items = [select_fields(mapping.provider_wire(p), q.fields) for p in found]
    return responses.json(envelope(items, total))


@router.get(
    "/providers/{provider_id}",
    operation_id="hood_get_provider",
    summary="View a provider",
    response_model=HoodProviderList,
    responses=routing.READ_ERRORS,
)
async def get_provider(request: Request, provider_id: str) -> Response:
    await edge.enter(request, *READ)
    return responses.json(envelope([mapping.provider_wire(hood_providers.get(provider_id))]))
