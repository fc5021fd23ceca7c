"""What the Core partner list can filter, sort and select."""

from __future__ import annotations

from partnerhub.domain import core_partners as rules
from partnerhub.domain.core_query import Kind, ListSpec

_STRINGS = (
    "partner_sid",
    "display_id",
    "login",
    "name",
    "company_name",
    "address1",
    "address2",
    "city",
    "state",
    "zip",
    "country_code",
    "phonenumber",
    "owner_email",
    "billing_email",
    "tech_email",
    "payment_type",
    "status",
)
_FIELDS: dict[str, Kind] = dict.fromkeys(_STRINGS, "string")
_FIELDS |= {name: "money" for name in rules.MONEY_FIELDS}
_FIELDS["date_created"] = "datetime"

PARTNERS = ListSpec(
    fields=_FIELDS,
    sortable=(*sorted(_STRINGS), "date_created"),
    nested=rules.NESTED_OBJECTS,
    output=rules.WIRE_FIELDS,
    default_order="date_created",
)

# A partner's history is always newest first, paged by offset: it cannot be sorted, filtered or
# paged by cursor (its entries have no secure ids).
HISTORY = ListSpec(
    fields={},
    sortable=(),
    nested=(),
    output=("action", "changed_at", "changes", "surface", "token_id", "version"),
    default_order="changed_at",
    options=("limit", "offset", "include_fields", "exclude_fields"),
)
