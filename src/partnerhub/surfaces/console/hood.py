"""The console's Hood area (README "Console: Hood"): partners with their contacts, deals,
campaigns and the account's integrations, one module each; this gathers their routes."""

from __future__ import annotations

from partnerhub.surfaces.common.router import lean_router
from partnerhub.surfaces.console import (
    hood_campaigns,
    hood_contacts,
    hood_deals,
    hood_integrations,
    hood_partner_list,
    hood_partners,
)

router = lean_router(include_in_schema=False)
# Side by side, in this order: `/hood/partners/new` comes before `/hood/partners/{id}`, and
# `/hood/integrations/new` before `/hood/integrations/{id}` (each module orders its own).
for module in (
    hood_partner_list,
    hood_partners,
    hood_contacts,
    hood_integrations,
    hood_deals,
    hood_campaigns,
):
    router.routes.extend(module.router.routes)
