"""Hood integrations: an account's SMS and e-mail senders (seed 002)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "hood_integrations",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(start=1000000),
            nullable=False,
        ),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("type", sa.String(10), nullable=False),
        sa.Column("provider_id", sa.String(20), nullable=False),
        sa.Column("settings", json, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("is_default", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("settings_fingerprint", sa.String(64), nullable=False),
        sa.Column("verified_fingerprint", sa.String(64), nullable=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name="fk_hood_integrations_account_id_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_hood_integrations"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_hood_integrations_account", "hood_integrations", ["account_id", "id"])
    op.create_index(
        "uq_hood_integrations_default",
        "hood_integrations",
        ["account_id", "type"],
        unique=True,
        sqlite_where=sa.text("is_default = 1"),
        postgresql_where=sa.text("is_default = 1"),
    )


def downgrade() -> None:
    op.drop_index("uq_hood_integrations_default", table_name="hood_integrations")
    op.drop_index("ix_hood_integrations_account", table_name="hood_integrations")
    op.drop_table("hood_integrations")
