"""core partners (CarrierX surface) and tokens.core_partner_id

Revision ID: 0002_core
Revises: 0001
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_core"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
CORE_SCOPES = [
    "partners.manage",
    "partners.create",
    "partners.read",
    "partners.update",
    "partners.delete",
    "oauth.manage",
    "oauth.create",
]


def upgrade() -> None:
    core_partners = op.create_table(
        "core_partners",
        sa.Column("id", ID, sa.Identity(always=False, start=1000000), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("partner_sid", sa.String(length=36), nullable=False),
        sa.Column("display_id", sa.String(length=10), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("company_name", sa.String(length=255), nullable=True),
        sa.Column("address1", sa.String(length=255), nullable=True),
        sa.Column("address2", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.Column("zip", sa.String(length=32), nullable=True),
        sa.Column("country_code", sa.String(length=3), nullable=True),
        sa.Column("phonenumber", sa.String(length=32), nullable=True),
        sa.Column("owner_email", sa.String(length=254), nullable=True),
        sa.Column("billing_email", sa.String(length=2048), nullable=True),
        sa.Column("tech_email", sa.String(length=254), nullable=True),
        sa.Column("payment_type", sa.String(length=10), nullable=False),
        sa.Column("balance", sa.String(length=32), nullable=False),
        sa.Column("charge_at", sa.String(length=32), nullable=True),
        sa.Column("daily_spending_limit", sa.String(length=32), nullable=True),
        sa.Column("daily_spent_amount", sa.String(length=32), nullable=False),
        sa.Column("prepay_amount", sa.String(length=32), nullable=True),
        sa.Column("spending_limit", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("available_scopes", JSON, nullable=False),
        sa.Column("attributes", JSON, nullable=False),
        sa.Column("callbacks", JSON, nullable=False),
        sa.Column("acls", JSON, nullable=False),
        sa.Column("parent_assigned_acls", JSON, nullable=False),
        sa.Column("transformations", JSON, nullable=False),
        sa.Column("date_created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("date_updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_core_partners_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["core_partners.id"],
            name=op.f("fk_core_partners_parent_id_core_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_partners")),
        sa.UniqueConstraint("partner_sid", name=op.f("uq_core_partners_partner_sid")),
        sa.UniqueConstraint("display_id", name=op.f("uq_core_partners_display_id")),
        sa.UniqueConstraint("login", name=op.f("uq_core_partners_login")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("core_partners", schema=None) as batch_op:
        batch_op.create_index(
            "ix_core_partners_account_path",
            ["account_id", "path"],
            unique=False,
            postgresql_ops={"path": "text_pattern_ops"},
        )
        batch_op.create_index("ix_core_partners_parent", ["parent_id"], unique=False)

    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("core_partner_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tokens_core_partner_id_core_partners"),
            "core_partners",
            ["core_partner_id"],
            ["id"],
            ondelete="CASCADE",
        )

    _roots_for_existing_accounts(core_partners)


def _roots_for_existing_accounts(core_partners: sa.Table) -> None:
    """Accounts created before this revision get a root partner that cannot log in yet
    (unusable password) until `partnerhub accounts core-password` sets one."""
    conn = op.get_bind()
    accounts = sa.table("accounts", sa.column("id"), sa.column("name"))
    now = datetime.now(UTC)
    rng = random.SystemRandom()
    for account_id, _name in conn.execute(sa.select(accounts.c.id, accounts.c.name)).all():
        row = conn.execute(
            core_partners.insert()
            .values(
                account_id=account_id,
                partner_sid=str(uuid.uuid4()),
                display_id=f"CX{rng.randrange(10**8):08d}",
                parent_id=None,
                path="/",
                version=1,
                login=f"account{account_id}",
                password_hash="!",  # noqa: S106 - the unusable-password marker
                name=None,
                payment_type="prepay",
                balance="0",
                daily_spending_limit="500",
                daily_spent_amount="0",
                spending_limit="0",
                status="active",
                available_scopes=CORE_SCOPES,
                attributes={},
                callbacks={},
                acls=[],
                parent_assigned_acls=[],
                transformations=[],
                date_created=now,
                date_updated=now,
            )
            .returning(core_partners.c.id)
        ).scalar_one()
        conn.execute(
            core_partners.update().where(core_partners.c.id == row).values(path=f"/{row}/")
        )


def downgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_constraint("fk_tokens_core_partner_id_core_partners", type_="foreignkey")
        batch_op.drop_column("core_partner_id")
    op.drop_table("core_partners")
