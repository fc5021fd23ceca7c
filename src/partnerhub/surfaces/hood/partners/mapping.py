"""Hood wire ⇄ domain: request bodies to commands, domain objects to Hood JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from partnerhub.domain.accounts import Member
from partnerhub.domain.history import HistoryEntry
from partnerhub.domain.hood_partners import (
    UNSET,
    Contact,
    PartnerDraft,
    PartnerPatch,
    PartnerView,
    first_value_per_type,
)
from partnerhub.errors import InvalidBody, ValidationFailed
from partnerhub.surfaces.common.body import check_shape, parse_json
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.schemas import (
    HoodContactIn,
    HoodContactPatch,
    HoodPartnerCreate,
    HoodPartnerPatch,
)

# Partner keys the default list view leaves out; `view=full` (and get-by-id) includes them.
FULL_ONLY = ("description", "payment_terms", "billing_address", "contact", "contacts")
NOT_NULLABLE = ("name", "status", "manager_ids")


def hood_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def unwrap(body: Any) -> dict[str, Any]:
    """Hood bodies may arrive as a JSON string holding the JSON object (the docs' examples do)."""
    if isinstance(body, str):
        body = parse_json(body, where=" in the JSON text inside the body string")
        check_shape(body)  # the depth and NUL-byte rules apply to the object inside too
    if not isinstance(body, dict):
        raise InvalidBody("The body must be a JSON object.", field="body")
    return body


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


def contact_create(body: Any) -> HoodContactIn:
    return validate(HoodContactIn, unwrap(body))


def contact_patch(body: Any) -> HoodContactPatch:
    raw = unwrap(body)
    refuse_nulls(raw, ("type", "value"))
    return validate(HoodContactPatch, raw)


def member_wire(member: Member) -> dict[str, Any]:
    return {
        "id": str(member.id),
        "company_id": str(member.account_id),
        "name": member.name,
        "email": member.email,
        "image": member.image,
        "status": member.status,
        "create_time": hood_time(member.create_time),
        "update_time": hood_time(member.update_time),
    }


def contact_wire(contact: Contact) -> dict[str, Any]:
    return {"id": contact.id, "type": contact.type, "value": contact.value}


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
        return {k: wire[k] for k in fields if k in wire}
    if not full:
        for key in FULL_ONLY:
            del wire[key]
    return wire


def history_wire(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "action": entry.action,
        "surface": entry.surface,
        "token_id": str(entry.token_id) if entry.token_id is not None else None,
        "changed_at": hood_time(entry.changed_at),
        "changes": entry.changes,
    }


def envelope(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    return {"total": len(items) if total is None else total, "items": items}
