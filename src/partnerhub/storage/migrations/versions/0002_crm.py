"""CRM: partner_clients objects, property definitions and groups, unique values

Revision ID: 0002_crm
Revises: 0001
Create Date: 2026-11-22 23:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_crm"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_TS = sa.DateTime(timezone=True)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=op.f(f"fk_{table}_account_id_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "crm_property_groups",
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("display_order", sa.Integer(), server_default="-1", nullable=False),
        sa.Column("archived", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        _account_fk("crm_property_groups"),
        sa.PrimaryKeyConstraint(
            "account_id", "object_type", "name", name=op.f("pk_crm_property_groups")
        ),
    )
    op.create_table(
        "crm_properties",
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("field_type", sa.String(length=30), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("options", _JSON, nullable=False),
        sa.Column("has_unique_value", sa.Integer(), server_default="0", nullable=False),
        sa.Column("hidden", sa.Integer(), server_default="0", nullable=False),
        sa.Column("display_order", sa.Integer(), server_default="-1", nullable=False),
        sa.Column("form_field", sa.Integer(), server_default="1", nullable=False),
        sa.Column("archived", sa.Integer(), server_default="0", nullable=False),
        sa.Column("archived_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        _account_fk("crm_properties"),
        sa.PrimaryKeyConstraint(
            "account_id", "object_type", "name", name=op.f("pk_crm_properties")
        ),
    )
    op.create_table(
        "crm_objects",
        sa.Column("id", _ID, sa.Identity(always=False, start=1), nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("properties", _JSON, nullable=False),
        sa.Column("archived", sa.Integer(), server_default="0", nullable=False),
        sa.Column("archived_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        _account_fk("crm_objects"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_objects")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("crm_objects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_crm_objects_account_type",
            ["account_id", "object_type", "archived", "id"],
            unique=False,
        )
    op.create_table(
        "crm_unique_values",
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("property", sa.String(length=100), nullable=False),
        sa.Column("value_hash", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("object_id", _ID, nullable=False),
        _account_fk("crm_unique_values"),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["crm_objects.id"],
            name=op.f("fk_crm_unique_values_object_id_crm_objects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "object_type", "property", "value_hash", name=op.f("pk_crm_unique_values")
        ),
    )
    with op.batch_alter_table("crm_unique_values", schema=None) as batch_op:
        batch_op.create_index(
            "ix_crm_unique_values_object", ["object_id", "property"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("crm_unique_values", schema=None) as batch_op:
        batch_op.drop_index("ix_crm_unique_values_object")
    op.drop_table("crm_unique_values")
    with op.batch_alter_table("crm_objects", schema=None) as batch_op:
        batch_op.drop_index("ix_crm_objects_account_type")
    op.drop_table("crm_objects")
    op.drop_table("crm_properties")
    op.drop_table("crm_property_groups")
