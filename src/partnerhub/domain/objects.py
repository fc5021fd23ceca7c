"""The kinds of object that have a version and a history, named as history names them."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    HOOD_PARTNER = "hood.partner"
    HOOD_CONTACT = "hood.partner_contact"
    HOOD_INTEGRATION = "hood.integration"
    HOOD_DEAL = "hood.deal"
    HOOD_CAMPAIGN = "hood.campaign"
    CORE_PARTNER = "core.partner"
    CRM_OBJECT = "crm.partner_client"
    CRM_PROPERTY = "crm.property"
    CRM_GROUP = "crm.property_group"
