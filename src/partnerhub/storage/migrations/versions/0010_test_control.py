"""The test-control API's own tables: snapshots, request journal, faults, cache generation

Only used when PARTNERHUB_TEST_API=true (SPEC §5), created always so that turning it on needs no
migration. None of them is part of a snapshot or a reset.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "test_snapshots",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("taken_at", _TS, nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_test_snapshots"),
    )
    op.create_table(
        "test_journal",
        sa.Column("id", _ID, sa.Identity(start=1), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("surface", sa.String(8), nullable=False),
        sa.Column("account_id", _ID, nullable=True),
        sa.Column("request_id", sa.String(128), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("fault_id", _ID, nullable=True),
        sa.Column("body", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_test_journal"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "test_faults",
        sa.Column("id", _ID, sa.Identity(start=1), nullable=False),
        sa.Column("surface", sa.String(8), nullable=True),
        sa.Column("method", sa.String(16), nullable=True),
        sa.Column("path", sa.String(1000), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("delay_ms", sa.Integer(), nullable=False),
        sa.Column("retry_after", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("fired", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_test_faults"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "test_control_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_test_control_state"),
    )


def downgrade() -> None:
    for table in ("test_control_state", "test_faults", "test_journal", "test_snapshots"):
        op.drop_table(table)
