"""Hood deals and campaigns, with the effective status their cascades maintain (seed 000)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hood_deals",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1000000),
            nullable=False,
        ),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "partner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("type", sa.String(length=10), nullable=True),
        sa.Column("structure", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("effective_status", sa.String(length=20), nullable=False),
        sa.Column("postback", sa.String(length=2048), nullable=True),
        sa.Column(
            "frequency_cap",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("clickthrough", sa.Integer(), nullable=False),
        sa.Column("time_window", sa.BigInteger(), nullable=True),
        sa.Column("base_price", sa.String(length=32), nullable=False),
        sa.Column("base_price_priority", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "country_price",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "device_price",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "event_price",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("budget", sa.String(length=32), nullable=True),
        sa.Column("total_spend_cap", sa.String(length=32), nullable=True),
        sa.Column("unique_conversion", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "performance_conditions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("system", sa.Integer(), server_default="0", nullable=False),
        sa.Column("is_default", sa.Integer(), server_default="0", nullable=False),
        sa.Column("archived", sa.Integer(), server_default="0", nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_hood_deals_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["hood_partners.id"],
            name=op.f("fk_hood_deals_partner_id_hood_partners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hood_deals")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("hood_deals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hood_deals_account_archived", ["account_id", "archived", "id"], unique=False
        )
        batch_op.create_index("ix_hood_deals_partner", ["account_id", "partner_id"], unique=False)

    op.create_table(
        "hood_campaigns",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1000000),
            nullable=False,
        ),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("deal_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column(
            "labels",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "messages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "ab_test",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "recurrence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "utm_tracking",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "quiet_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "targeting",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("effective_status", sa.String(length=20), nullable=False),
        sa.Column("send_strategy", sa.String(length=20), nullable=False),
        sa.Column("send_in_profile_time_zone", sa.Integer(), server_default="0", nullable=False),
        sa.Column("send_if_profile_time_passed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("scheduled_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_counter", sa.Integer(), server_default="0", nullable=False),
        sa.Column("was_launched", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.Column("archived", sa.Integer(), server_default="0", nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_hood_campaigns_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["hood_deals.id"],
            name=op.f("fk_hood_campaigns_deal_id_hood_deals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hood_campaigns")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("hood_campaigns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hood_campaigns_account_archived", ["account_id", "archived", "id"], unique=False
        )
        batch_op.create_index("ix_hood_campaigns_deal", ["account_id", "deal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hood_campaigns", schema=None) as batch_op:
        batch_op.drop_index("ix_hood_campaigns_deal")
        batch_op.drop_index("ix_hood_campaigns_account_archived")

    op.drop_table("hood_campaigns")
    with op.batch_alter_table("hood_deals", schema=None) as batch_op:
        batch_op.drop_index("ix_hood_deals_partner")
        batch_op.drop_index("ix_hood_deals_account_archived")

    op.drop_table("hood_deals")
