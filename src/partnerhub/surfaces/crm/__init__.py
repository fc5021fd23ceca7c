"""CRM surface (`/crm/v3`): HubSpot CRM API v3 compatible partner_clients and properties."""
