"""Hood partner wire ⇄ domain: request bodies to commands, partners to Hood JSON."""

from __future__ import annotations

from typing import Any

from partnerhub.domain.hood_partners import (
    PartnerDraft,
    PartnerPatch,
    PartnerView,
    first_value_per_type,
)
from partnerhub.domain.unset import UNSET
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.contacts.mapping import contact_wire
from partnerhub.surfaces.hood.mapping import hood_time, select_fields, unwrap
from partnerhub.surfaces.hood.partners.schemas import HoodPartnerCreate, HoodPartnerPatch

# Partner keys the default list view leaves out; `view=full` (and get-by-id) includes them.
FULL_ONLY = ("description", "payment_terms", "billing_address", "contact", "contacts")
NOT_NULLABLE = ("name", "status", "manager_ids")


def partner_draft(body: Any) -> PartnerDraft:
    data = validate(HoodPartnerCreate, unwrap(body))
    contacts: list[tuple[str, str]] = []
    if data.contact is not None:
        contacts += [(k, v) for k, v in data.contact.model_dump(exclude_none=True).items()]
    contacts += [(c.type, c.value) for c in data.contacts or []]
    terms = data.payment_terms.model_dump(exclude_none=True) if data.payment_terms else {}
    address = data.billing_address.normalized() if data.billing_address else {}
    return PartnerDraft(
        name=data.name,
        description=data.description,
        type=tuple(dict.fromkeys(data.type)),
        status=data.status,
        manager_ids=tuple(dict.fromkeys(data.manager_ids)),
        payment_terms=terms or None,
        billing_address={k: v for k, v in address.items() if v is not None} or None,
        contacts=tuple(contacts),
    )


def partner_patch(body: Any) -> PartnerPatch:
    """The PATCH command: absent fields UNSET, `null` kept where the field is nullable."""
    raw = unwrap(body)
    refuse_nulls(raw, NOT_NULLABLE)
    data = validate(HoodPartnerPatch, raw)
    sent = data.model_fields_set
    for frozen, rule in (
        ("type", "is set on create only"),
        ("archived", "changes only through /archive and /unarchive"),
    ):
        if frozen in sent:
            raise ValidationFailed.one(frozen, f"{frozen} {rule}.", "READ_ONLY")
    terms = data.payment_terms.model_dump(exclude_unset=True) if data.payment_terms else None
    address = data.billing_address.normalized() if data.billing_address else None
    # A None below means "not sent" for the NOT_NULLABLE fields: their nulls are refused above.
    return PartnerPatch(
        name=UNSET if data.name is None else data.name,
        description=data.description if "description" in sent else UNSET,
        status=UNSET if data.status is None else data.status,
        manager_ids=UNSET if data.manager_ids is None else tuple(dict.fromkeys(data.manager_ids)),
        payment_terms=terms if "payment_terms" in sent else UNSET,
        billing_address=address if "billing_address" in sent else UNSET,
        contact=data.contact.model_dump(exclude_unset=True) if data.contact else {},
    )


def partner_wire(
    view: PartnerView, *, full: bool = True, fields: tuple[str, ...] | None = None
) -> dict[str, Any]:
    p = view.partner
    wire: dict[str, Any] = {
        "id": str(p.id),
        "company_id": str(p.account_id),
        "manager_ids": list(p.manager_ids),
        "managers": [
            {"id": str(m.id), "name": m.name, "email": m.email, "status": m.status}
            for m in view.managers
        ],
        "name": p.name,
        "description": p.description,
        "type": list(p.type),
        "status": p.status,
        "payment_terms": p.payment_terms,
        "billing_address": p.billing_address,
        "contact": first_value_per_type(view.contacts),
        "contacts": [contact_wire(c) for c in view.contacts],
        "archived": p.archived,
        "system": p.system,
        "create_time": hood_time(p.create_time),
        "update_time": hood_time(p.update_time),
    }
    if fields:
        return select_fields(wire, fields)
    if not full:
        for key in FULL_ONLY:
            del wire[key]
    return wire
