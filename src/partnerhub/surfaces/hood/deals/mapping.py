"""Hood deal wire ⇄ domain: request bodies to commands, deals to Hood JSON."""

from __future__ import annotations

from typing import Any

from partnerhub.domain.hood_deals import Deal, DealDraft, DealPatch, state
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import refuse_nulls, validate
from partnerhub.surfaces.hood.deals.schemas import HoodDealCreate, HoodDealPatch
from partnerhub.surfaces.hood.mapping import hood_time, select_fields, unwrap

NOT_NULLABLE = (
    "name",
    "status",
    "clickthrough",
    "base_price",
    "base_price_priority",
    "unique_conversion",
)
# Documented deal fields a PATCH cannot change: refused naming the field, not dropped.
CREATE_ONLY = "is set on create only"
READ_ONLY = {
    "partner_id": CREATE_ONLY,
    "type": CREATE_ONLY,
    "structure": CREATE_ONLY,
    "postback": CREATE_ONLY,
    "total_spend_cap": CREATE_ONLY,
    "archived": "changes only through /archive",
    "effective_status": "follows status and the partner's status",
    "system": "cannot be changed",
    "is_default": "cannot be changed",
}


def _values(data: HoodDealCreate | HoodDealPatch, names: set[str]) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in names}
    if values.get("frequency_cap") is not None:
        values["frequency_cap"] = values["frequency_cap"].model_dump()
    return values


def deal_draft(body: Any) -> DealDraft:
    data = validate(HoodDealCreate, unwrap(body))
    values = _values(data, set(HoodDealCreate.model_fields))
    for prices in ("country_price", "device_price", "event_price"):
        values[prices] = values[prices] or {}
    return DealDraft(**values)


def deal_patch(body: Any) -> DealPatch:
    """The PATCH command: absent fields UNSET, `null` kept where the field is nullable."""
    raw = unwrap(body)
    for name, reason in READ_ONLY.items():
        if name in raw:
            raise ValidationFailed.one(name, f"{name} {reason}.", "READ_ONLY")
    refuse_nulls(raw, NOT_NULLABLE)
    data = validate(HoodDealPatch, raw)
    return DealPatch(**_values(data, data.model_fields_set))


def deal_wire(deal: Deal, *, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    wire = {
        "id": str(deal.id),
        "company_id": str(deal.account_id),
        "partner_id": str(deal.partner_id),
        **state(deal),
        "create_time": hood_time(deal.create_time),
        "update_time": hood_time(deal.update_time),
    }
    return select_fields(wire, fields)
