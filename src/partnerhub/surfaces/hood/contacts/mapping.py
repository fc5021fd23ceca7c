"""Hood partner-contact wire ⇄ domain."""

from __future__ import annotations

from typing import Any

from partnerhub.domain.hood_partners import Contact
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.contacts.schemas import HoodContactIn, HoodContactPatch
from partnerhub.surfaces.hood.mapping import unwrap


def contact_create(body: Any) -> HoodContactIn:
    return validate(HoodContactIn, unwrap(body))


def contact_patch(body: Any) -> HoodContactPatch:
    raw = unwrap(body)
    refuse_nulls(raw, ("type", "value"))
    return validate(HoodContactPatch, raw)


def contact_wire(contact: Contact) -> dict[str, Any]:
    return {"id": contact.id, "type": contact.type, "value": contact.value}
