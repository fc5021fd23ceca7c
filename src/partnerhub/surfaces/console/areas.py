"""The console's areas: what each shows, and the scopes that open it for reading and writing.

A token's scopes decide what the console offers; the routes check the same scopes again, so a
form posted by hand to an area the token cannot write is refused (403) all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerhub.domain.accounts import Actor


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    label: str
    path: str
    read: tuple[str, ...]
    write: tuple[str, ...]

    def readable(self, actor: Actor) -> bool:
        return actor.has_any(*self.read)

    def writable(self, actor: Actor) -> bool:
        return actor.has_any(*self.write)


HOOD_PARTNERS = Area(
    "hood",
    "Hood partners",
    "/console/hood/partners",
    read=("hood.partners.read", "hood.partners.write"),
    write=("hood.partners.write",),
)
HOOD_INTEGRATIONS = Area(
    "hood-integrations",
    "Integrations",
    "/console/hood/integrations",
    read=("hood.integrations.read", "hood.integrations.write"),
    write=("hood.integrations.write",),
)
HOOD_DEALS = Area(
    "hood-deals",
    "Deals",
    "/console/hood/partners",
    read=("hood.deals.read", "hood.deals.write"),
    write=("hood.deals.write",),
)
HOOD_CAMPAIGNS = Area(
    "hood-campaigns",
    "Campaigns",
    "/console/hood/partners",
    read=("hood.campaigns.read", "hood.campaigns.write"),
    write=("hood.campaigns.write",),
)
CORE = Area(
    "core",
    "Core partner tree",
    "/console/core",
    read=("partners.read", "partners.manage"),
    write=("partners.update", "partners.manage"),
)
CRM_OBJECTS = Area(
    "crm",
    "CRM partner clients",
    "/console/crm/objects",
    read=("crm.objects.partner-clients.read", "crm.objects.partner-clients.write"),
    write=("crm.objects.partner-clients.write",),
)
CRM_PROPERTIES = Area(
    "crm-properties",
    "CRM properties",
    "/console/crm/properties",
    read=("crm.schemas.partner-clients.read", "crm.schemas.partner-clients.write"),
    write=("crm.schemas.partner-clients.write",),
)
# Tokens are managed with Core's token-endpoint scope (SPEC §1: `oauth.manage|create`).
TOKENS = Area(
    "tokens",
    "Tokens",
    "/console/tokens",
    read=("oauth.manage",),
    write=("oauth.manage",),
)

# What the navigation lists, in order.
NAVIGATION = (HOOD_PARTNERS, CORE, CRM_OBJECTS, CRM_PROPERTIES, TOKENS)
