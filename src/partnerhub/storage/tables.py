"""The schema, as SQLAlchemy Core tables. Migrations under `migrations/` create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from partnerhub.domain import bounds
from partnerhub.domain.ids import FIRST_CRM_ID, FIRST_HOOD_ID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")
Timestamp = DateTime(timezone=True)
# Hood ids look like Ocamba's ("1000412"): numbering starts at one million.
FIRST_ID = FIRST_HOOD_ID


def _string(table: str, column: str) -> String:
    """A string column as long as the bound its validators check (domain/bounds.py)."""
    return String(bounds.length(table, column))


def _id_column() -> Column[int]:
    return Column(
        "id",
        BigInteger().with_variant(Integer, "sqlite"),
        Identity(start=FIRST_ID),
        primary_key=True,
    )


accounts = Table(
    "accounts",
    metadata,
    _id_column(),
    Column("name", _string("accounts", "name"), nullable=False, unique=True),
    Column("hood_tier", _string("accounts", "hood_tier"), nullable=False, server_default="C"),
    Column("rate_limits", Json, nullable=False, server_default="{}"),
    Column("created_at", Timestamp, nullable=False),
    sqlite_autoincrement=True,
)

tokens = Table(
    "tokens",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", _string("tokens", "name"), nullable=False),
    Column("prefix", _string("tokens", "prefix"), nullable=False),
    Column("token_hash", _string("tokens", "token_hash"), nullable=False, unique=True),
    Column("scopes", Json, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=True),
    Column("revoked_at", Timestamp, nullable=True),
    # Core: the partner a token acts as (None: the account's root partner).
    Column(
        "core_partner_id",
        ForeignKey("core_partners.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Index("ix_tokens_account", "account_id"),
    sqlite_autoincrement=True,
)

members = Table(
    "members",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", _string("members", "name"), nullable=False),
    Column("email", _string("members", "email"), nullable=False),
    Column("status", _string("members", "status"), nullable=False),
    Column("image", _string("members", "image"), nullable=True),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_members_account", "account_id"),
    sqlite_autoincrement=True,
)

hood_partners = Table(
    "hood_partners",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", _string("hood_partners", "name"), nullable=False),
    Column("description", Text, nullable=True),
    Column("type", Json, nullable=False),
    Column("status", _string("hood_partners", "status"), nullable=False),
    Column("manager_ids", Json, nullable=False),
    Column("payment_terms", Json, nullable=True),
    Column("billing_address", Json, nullable=True),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("system", Integer, nullable=False, server_default="0"),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_partners_account_archived", "account_id", "archived", "id"),
    sqlite_autoincrement=True,
)

hood_partner_contacts = Table(
    "hood_partner_contacts",
    metadata,
    Column("id", _string("hood_partner_contacts", "id"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("partner_id", ForeignKey("hood_partners.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("type", _string("hood_partner_contacts", "type"), nullable=False),
    Column("value", _string("hood_partner_contacts", "value"), nullable=False),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_partner_contacts_partner", "account_id", "partner_id", "seq"),
)

hood_integrations = Table(
    "hood_integrations",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", _string("hood_integrations", "name"), nullable=False),
    Column("type", _string("hood_integrations", "type"), nullable=False),
    Column("provider_id", _string("hood_integrations", "provider_id"), nullable=False),
    # Secret settings are stored encrypted (Runtime.secrets); the others as sent.
    Column("settings", Json, nullable=False),
    Column("status", _string("hood_integrations", "status"), nullable=False),
    Column("is_default", Integer, nullable=False, server_default="0"),
    # Keyed fingerprints of the settings now, and of the settings that last passed a
    # validate or test-notification: equal means effectively active (when status is).
    Column(
        "settings_fingerprint", _string("hood_integrations", "settings_fingerprint"), nullable=False
    ),
    Column(
        "verified_fingerprint", _string("hood_integrations", "verified_fingerprint"), nullable=True
    ),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_integrations_account", "account_id", "id"),
    # One default integration per type per account, whatever the callers do at once.
    Index(
        "uq_hood_integrations_default",
        "account_id",
        "type",
        unique=True,
        sqlite_where=text("is_default = 1"),
        postgresql_where=text("is_default = 1"),
    ),
    sqlite_autoincrement=True,
)

# Hood deals and campaigns. `effective_status` is stored (the cascades write it, with history):
# a deal's is its status while its partner is active, a campaign's its status while its deal
# is effectively active; otherwise "inactive" (domain/hood_effective.py). Money columns hold
# canonical decimal strings, never floats.

hood_deals = Table(
    "hood_deals",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("partner_id", ForeignKey("hood_partners.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", _string("hood_deals", "name"), nullable=False),
    Column("description", _string("hood_deals", "description"), nullable=True),
    Column("type", _string("hood_deals", "type"), nullable=True),
    Column("structure", _string("hood_deals", "structure"), nullable=True),
    Column("status", _string("hood_deals", "status"), nullable=False),
    Column("effective_status", _string("hood_deals", "effective_status"), nullable=False),
    Column("postback", _string("hood_deals", "postback"), nullable=True),
    Column("frequency_cap", Json, nullable=True),
    Column("clickthrough", Integer, nullable=False),
    Column("time_window", BigInteger, nullable=True),
    Column("base_price", _string("hood_deals", "base_price"), nullable=False),
    Column("base_price_priority", Integer, nullable=False, server_default="0"),
    Column("country_price", Json, nullable=False),
    Column("device_price", Json, nullable=False),
    Column("event_price", Json, nullable=False),
    Column("budget", _string("hood_deals", "budget"), nullable=True),
    Column("total_spend_cap", _string("hood_deals", "total_spend_cap"), nullable=True),
    Column("unique_conversion", Integer, nullable=False, server_default="0"),
    Column("performance_conditions", Json, nullable=True),
    Column("system", Integer, nullable=False, server_default="0"),
    Column("is_default", Integer, nullable=False, server_default="0"),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_deals_account_archived", "account_id", "archived", "id"),
    Index("ix_hood_deals_partner", "account_id", "partner_id"),
    sqlite_autoincrement=True,
)

hood_campaigns = Table(
    "hood_campaigns",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("deal_id", ForeignKey("hood_deals.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", _string("hood_campaigns", "name"), nullable=False),
    Column("description", _string("hood_campaigns", "description"), nullable=True),
    Column("labels", Json, nullable=False),
    Column("metadata", Json, nullable=True),
    Column("messages", Json, nullable=False),
    Column("ab_test", Json, nullable=True),
    Column("recurrence", Json, nullable=True),
    Column("utm_tracking", Json, nullable=True),
    Column("quiet_hours", Json, nullable=True),
    Column("targeting", Json, nullable=True),
    Column("status", _string("hood_campaigns", "status"), nullable=False),
    Column("effective_status", _string("hood_campaigns", "effective_status"), nullable=False),
    Column("send_strategy", _string("hood_campaigns", "send_strategy"), nullable=False),
    Column("send_in_profile_time_zone", Integer, nullable=False, server_default="0"),
    Column("send_if_profile_time_passed", Integer, nullable=False, server_default="0"),
    Column("scheduled_time", Timestamp, nullable=True),
    Column("next_run_time", Timestamp, nullable=True),
    Column("run_counter", Integer, nullable=False, server_default="0"),
    Column("was_launched", Integer, nullable=False, server_default="0"),
    Column("status_reason", _string("hood_campaigns", "status_reason"), nullable=True),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_campaigns_account_archived", "account_id", "archived", "id"),
    Index("ix_hood_campaigns_deal", "account_id", "deal_id"),
    sqlite_autoincrement=True,
)

history = Table(
    "history",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("object_type", _string("history", "object_type"), nullable=False),
    Column("object_id", _string("history", "object_id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", _string("history", "action"), nullable=False),
    Column("surface", _string("history", "surface"), nullable=False),
    Column("token_id", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
    # Who, when no token did: "basic:<partner_sid>" (HTTP Basic on Core). NULL: token or surface.
    Column("source", _string("history", "source"), nullable=True),
    Column("changed_at", Timestamp, nullable=False),
    Column("changes", Json, nullable=False),
    Index("ix_history_object", "account_id", "object_type", "object_id", "id"),
    sqlite_autoincrement=True,
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("surface", _string("idempotency_keys", "surface"), primary_key=True),
    Column("key", _string("idempotency_keys", "key"), primary_key=True),
    Column("request_hash", _string("idempotency_keys", "request_hash"), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("headers", Json, nullable=True),
    Column("created_at", Timestamp, nullable=False),
)

# CRM (HubSpot-compatible) objects, their property definitions and unique values.

crm_property_groups = Table(
    "crm_property_groups",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("object_type", _string("crm_property_groups", "object_type"), primary_key=True),
    Column("name", _string("crm_property_groups", "name"), primary_key=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("label", _string("crm_property_groups", "label"), nullable=False),
    Column("display_order", Integer, nullable=False, server_default="-1"),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

crm_properties = Table(
    "crm_properties",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("object_type", _string("crm_properties", "object_type"), primary_key=True),
    Column("name", _string("crm_properties", "name"), primary_key=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("label", _string("crm_properties", "label"), nullable=False),
    Column("type", _string("crm_properties", "type"), nullable=False),
    Column("field_type", _string("crm_properties", "field_type"), nullable=False),
    Column("group_name", _string("crm_properties", "group_name"), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("options", Json, nullable=False),
    Column("has_unique_value", Integer, nullable=False, server_default="0"),
    Column("hidden", Integer, nullable=False, server_default="0"),
    Column("display_order", Integer, nullable=False, server_default="-1"),
    Column("form_field", Integer, nullable=False, server_default="1"),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("archived_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)

crm_objects = Table(
    "crm_objects",
    metadata,
    # HubSpot record ids are small integers ("512"): numbering starts at 1.
    Column(
        "id",
        BigInteger().with_variant(Integer, "sqlite"),
        Identity(start=FIRST_CRM_ID),
        primary_key=True,
    ),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("object_type", _string("crm_objects", "object_type"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("properties", Json, nullable=False),
    Column("archived", Integer, nullable=False, server_default="0"),
    Column("archived_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_crm_objects_account_type", "account_id", "object_type", "archived", "id"),
    sqlite_autoincrement=True,
)

crm_unique_values = Table(
    "crm_unique_values",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("object_type", _string("crm_unique_values", "object_type"), primary_key=True),
    Column("property", _string("crm_unique_values", "property"), primary_key=True),
    Column("value_hash", _string("crm_unique_values", "value_hash"), primary_key=True),
    Column("value", Text, nullable=False),
    Column("object_id", ForeignKey("crm_objects.id", ondelete="CASCADE"), nullable=False),
    Index("ix_crm_unique_values_object", "object_id", "property"),
)


# Core (CarrierX) partners: a tree per account. `path` is the materialized path of ids
# ("/12/57/"), so "self and descendants" is one indexed prefix match.
core_partners = Table(
    "core_partners",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("partner_sid", _string("core_partners", "partner_sid"), nullable=False, unique=True),
    Column("display_id", _string("core_partners", "display_id"), nullable=False, unique=True),
    Column("parent_id", ForeignKey("core_partners.id", ondelete="RESTRICT"), nullable=True),
    Column("path", _string("core_partners", "path"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("login", _string("core_partners", "login"), nullable=False, unique=True),
    Column("password_hash", _string("core_partners", "password_hash"), nullable=False),
    # CarrierX's system attribute: may the login and password be sent as HTTP Basic credentials.
    Column("allow_basic_authentication", Boolean, nullable=False, server_default=true()),
    Column("name", _string("core_partners", "name"), nullable=True),
    Column("company_name", _string("core_partners", "company_name"), nullable=True),
    Column("address1", _string("core_partners", "address1"), nullable=True),
    Column("address2", _string("core_partners", "address2"), nullable=True),
    Column("city", _string("core_partners", "city"), nullable=True),
    Column("state", _string("core_partners", "state"), nullable=True),
    Column("zip", _string("core_partners", "zip"), nullable=True),
    Column("country_code", _string("core_partners", "country_code"), nullable=True),
    Column("phonenumber", _string("core_partners", "phonenumber"), nullable=True),
    Column("owner_email", _string("core_partners", "owner_email"), nullable=True),
    Column("billing_email", _string("core_partners", "billing_email"), nullable=True),
    Column("tech_email", _string("core_partners", "tech_email"), nullable=True),
    Column("payment_type", _string("core_partners", "payment_type"), nullable=False),
    # Money and limits: canonical decimal strings, never floats.
    Column("balance", _string("core_partners", "balance"), nullable=False),
    Column("charge_at", _string("core_partners", "charge_at"), nullable=True),
    Column("daily_spending_limit", _string("core_partners", "daily_spending_limit"), nullable=True),
    Column("daily_spent_amount", _string("core_partners", "daily_spent_amount"), nullable=False),
    Column("prepay_amount", _string("core_partners", "prepay_amount"), nullable=True),
    Column("spending_limit", _string("core_partners", "spending_limit"), nullable=True),
    Column("status", _string("core_partners", "status"), nullable=False),
    Column("available_scopes", Json, nullable=False),
    Column("attributes", Json, nullable=False),
    Column("callbacks", Json, nullable=False),
    Column("acls", Json, nullable=False),
    Column("parent_assigned_acls", Json, nullable=False),
    Column("transformations", Json, nullable=False),
    Column("date_created", Timestamp, nullable=False),
    Column("date_updated", Timestamp, nullable=False),
    Index(
        "ix_core_partners_account_path",
        "account_id",
        "path",
        postgresql_ops={"path": "text_pattern_ops"},
    ),
    Index("ix_core_partners_parent", "parent_id"),
    Index("ix_core_partners_account_created", "account_id", "date_created", "id"),
    sqlite_autoincrement=True,
)
# Logins are unique ignoring case (the plain unique constraint serves exact look-ups).
Index("uq_core_partners_login_lower", func.lower(core_partners.c.login), unique=True)


# The test-control API (SPEC §5; off unless PARTNERHUB_TEST_API=true). Deployment-wide, not per
# account, and never part of a snapshot: the baseline and named snapshots, the request journal,
# injected faults, and a generation number every reset or restore bumps (workers compare it to
# the one they last saw and then forget their in-process caches).
TEST_CONTROL_TABLES = ("test_snapshots", "test_journal", "test_faults", "test_control_state")

test_snapshots = Table(
    "test_snapshots",
    metadata,
    Column("name", _string("test_snapshots", "name"), primary_key=True),
    Column("taken_at", Timestamp, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    # The snapshot file (services/test_snapshots.py documents its format).
    Column("data", LargeBinary, nullable=False),
)

test_journal = Table(
    "test_journal",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), Identity(start=1), primary_key=True),
    Column("at", Timestamp, nullable=False),
    Column("method", _string("test_journal", "method"), nullable=False),
    Column("path", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("surface", _string("test_journal", "surface"), nullable=False),
    Column("account_id", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
    Column("request_id", _string("test_journal", "request_id"), nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("fault_id", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
    Column("body", Json, nullable=True),
    sqlite_autoincrement=True,
)

test_faults = Table(
    "test_faults",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), Identity(start=1), primary_key=True),
    Column("surface", _string("test_faults", "surface"), nullable=True),
    Column("method", _string("test_faults", "method"), nullable=True),
    Column("path", _string("test_faults", "path"), nullable=True),
    Column("status", Integer, nullable=True),
    Column("delay_ms", Integer, nullable=False),
    Column("retry_after", Integer, nullable=False),
    # NULL: fires every time it matches; else how many more times it may fire.
    Column("remaining", Integer, nullable=True),
    Column("probability", Float, nullable=False),
    Column("fired", Integer, nullable=False, server_default="0"),
    Column("created_at", Timestamp, nullable=False),
    sqlite_autoincrement=True,
)

test_control_state = Table(
    "test_control_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", BigInteger, nullable=False),
)
