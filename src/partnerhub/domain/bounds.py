"""The maximum length of every stored string, by table and column: one definition read by the
storage columns (`String(N)` in storage/tables.py) and by the validators where the wire is
parsed, so a value that passes validation always fits its column (PostgreSQL refuses one that
does not; SQLite would silently keep it).

The bound applies to the value as stored, after normalisation (trimmed, joined lists such as
Core's comma-separated `billing_email`, phone separators kept).
"""

from __future__ import annotations

from collections.abc import Mapping

from partnerhub.errors import ValidationFailed

__all__ = ["CORE_PATH_MAX_DEPTH", "INTEGER_MAX", "INTEGER_MIN", "TABLES", "fit", "length"]

_ID = 36  # a UUID's text
# An `Integer` column: 32 bits on PostgreSQL (SQLite would keep a larger value).
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1

TABLES: Mapping[str, Mapping[str, int]] = {
    "accounts": {"name": 200, "hood_tier": 1},
    "tokens": {"name": 200, "prefix": 16, "token_hash": 64},
    "members": {"name": 200, "email": 254, "status": 20, "image": 500},
    "hood_partners": {"name": 255, "status": 20},
    "hood_partner_contacts": {"id": _ID, "type": 20, "value": 2048},
    "hood_integrations": {
        "name": 100,
        "type": 10,
        "provider_id": 20,
        "status": 20,
        "settings_fingerprint": 64,
        "verified_fingerprint": 64,
    },
    "hood_deals": {
        "name": 100,
        "description": 2000,
        "type": 10,
        "structure": 10,
        "status": 20,
        "effective_status": 20,
        "postback": 2048,
        "base_price": 32,
        "budget": 32,
        "total_spend_cap": 32,
    },
    "hood_campaigns": {
        "name": 100,
        "description": 2000,
        "status": 20,
        "effective_status": 20,
        "send_strategy": 20,
        "status_reason": 500,
    },
    "history": {"object_type": 40, "object_id": 64, "action": 20, "surface": 10, "source": 80},
    "idempotency_keys": {"surface": 10, "key": 255, "request_hash": 64},
    "crm_property_groups": {"object_type": 40, "name": 100, "label": 255},
    "crm_properties": {
        "object_type": 40,
        "name": 100,
        "label": 255,
        "type": 20,
        "field_type": 30,
        "group_name": 100,
    },
    "crm_objects": {"object_type": 40},
    "crm_unique_values": {"object_type": 40, "property": 100, "value_hash": 64},
    "core_partners": {
        "partner_sid": _ID,
        "display_id": 10,
        "path": 1024,
        "login": 128,
        "password_hash": 255,
        "name": 255,
        "company_name": 255,
        "address1": 255,
        "address2": 255,
        "city": 255,
        "state": 255,
        "zip": 32,
        "country_code": 3,
        "phonenumber": 32,
        "owner_email": 254,
        "billing_email": 2048,
        "tech_email": 254,
        "payment_type": 10,
        "balance": 32,
        "charge_at": 32,
        "daily_spending_limit": 32,
        "daily_spent_amount": 32,
        "prepay_amount": 32,
        "spending_limit": 32,
        "status": 20,
    },
    # The test-control API's (admin only, off by default).
    "test_snapshots": {"name": 100},
    "test_journal": {"method": 16, "surface": 8, "request_id": 128},
    "test_faults": {"surface": 8, "method": 16, "path": 1000},
}

# Core's materialized path is "/<id>/<id>/.../": each level adds at most 20 characters (a
# BIGINT's 19 digits and a slash) to the leading "/", so 51 levels always fit 1024 characters.
_CORE_ID_TEXT_MAX = 20
CORE_PATH_MAX_DEPTH = (TABLES["core_partners"]["path"] - 1) // _CORE_ID_TEXT_MAX


def length(table: str, column: str) -> int:
    return TABLES[table][column]


def fit(value: str, field: str, table: str, column: str) -> str:
    """The stored value, refused when longer than its column."""
    limit = TABLES[table][column]
    if len(value) > limit:
        raise ValidationFailed.one(field, f"{field} must be at most {limit} characters.")
    return value
