"""The scope catalogue of every surface (SPEC §1)."""

from __future__ import annotations

HOOD_SCOPES = (
    "hood.partners.read",
    "hood.partners.write",
    "hood.integrations.read",
    "hood.integrations.write",
    "hood.deals.read",
    "hood.deals.write",
    "hood.campaigns.read",
    "hood.campaigns.write",
)
CORE_SCOPES = (
    "partners.manage",
    "partners.create",
    "partners.read",
    "partners.update",
    "partners.delete",
    "oauth.manage",
    "oauth.create",
)
CRM_SCOPES = (
    "crm.objects.partner-clients.read",
    "crm.objects.partner-clients.write",
    "crm.schemas.partner-clients.read",
    "crm.schemas.partner-clients.write",
)
ALL_SCOPES: tuple[str, ...] = HOOD_SCOPES + CORE_SCOPES + CRM_SCOPES
# Deployment administration (the test-control API, SPEC §5): never part of "every scope" of an
# account's token; granted only by name (`tokens create --scope partnerhub.admin`) or to the
# bootstrap token.
ADMIN_SCOPE = "partnerhub.admin"
GRANTABLE_SCOPES: tuple[str, ...] = (*ALL_SCOPES, ADMIN_SCOPE)


def unknown_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    known = set(GRANTABLE_SCOPES)
    return [s for s in scopes if s not in known]
