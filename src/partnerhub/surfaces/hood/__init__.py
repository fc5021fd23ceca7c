"""Ocamba Hood API v1 dialect (`/v1/hood`), one package per resource."""

from partnerhub.surfaces.common.router import SurfaceRouter

# isort: off
# In route order: a routes module registers its request-body schemas for OpenAPI as it is
# imported (`openapi.body`), so this order is also the order of those schemas.
from partnerhub.surfaces.hood.partners import routes as partners
from partnerhub.surfaces.hood.contacts import routes as contacts
from partnerhub.surfaces.hood.members import routes as members
from partnerhub.surfaces.hood.integrations import routes as integrations
from partnerhub.surfaces.hood.providers import routes as providers
from partnerhub.surfaces.hood.deals import routes as deals
from partnerhub.surfaces.hood.campaigns import routes as campaigns

# isort: on
from partnerhub.surfaces.hood.routing import PREFIX

__all__ = ["PREFIX", "router"]

# The resources' routes side by side in one router, in route order. Not `include_router`:
# FastAPI keeps an included router as one nested route, so `router.routes` would hold routers
# instead of routes, and each request would search one level deeper.
router = SurfaceRouter()
for resource in (partners, contacts, members, integrations, providers, deals, campaigns):
    router.routes.extend(resource.router.routes)
