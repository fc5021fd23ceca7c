"""The schema, as SQLAlchemy Core tables. Migrations under `migrations/` create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

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
FIRST_ID = 1_000_000


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
    Column("name", String(200), nullable=False, unique=True),
    Column("hood_tier", String(1), nullable=False, server_default="C"),
    Column("rate_limits", Json, nullable=False, server_default="{}"),
    Column("created_at", Timestamp, nullable=False),
    sqlite_autoincrement=True,
)

tokens = Table(
    "tokens",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", Json, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("expires_at", Timestamp, nullable=True),
    Column("revoked_at", Timestamp, nullable=True),
    Index("ix_tokens_account", "account_id"),
    sqlite_autoincrement=True,
)

members = Table(
    "members",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("status", String(20), nullable=False),
    Column("image", String(500), nullable=True),
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
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=True),
    Column("type", Json, nullable=False),
    Column("status", String(20), nullable=False),
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
    Column("id", String(36), primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("partner_id", ForeignKey("hood_partners.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("value", String(2048), nullable=False),
    Column("create_time", Timestamp, nullable=False),
    Column("update_time", Timestamp, nullable=False),
    Index("ix_hood_partner_contacts_partner", "account_id", "partner_id", "seq"),
)

history = Table(
    "history",
    metadata,
    _id_column(),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(20), nullable=False),
    Column("surface", String(10), nullable=False),
    Column("token_id", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
    Column("changed_at", Timestamp, nullable=False),
    Column("changes", Json, nullable=False),
    Index("ix_history_object", "account_id", "object_type", "object_id", "id"),
    sqlite_autoincrement=True,
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("surface", String(10), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("headers", Json, nullable=True),
    Column("created_at", Timestamp, nullable=False),
)
