"""Core HTTP Basic authentication: the partner's allow_basic_authentication, and who made a change

`core_partners.allow_basic_authentication` (CarrierX's system attribute, default true) says
whether the partner's login and password are accepted as HTTP Basic credentials. `history.source`
names a change's author when no token did ("basic:<partner_sid>"); NULL keeps the old reading
(the token, or the surface).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("core_partners") as batch:
        batch.add_column(
            sa.Column(
                "allow_basic_authentication",
                sa.Boolean(),
                nullable=False,
                server_default=sa.true(),
            )
        )
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("source", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("core_partners") as batch:
        batch.drop_column("allow_basic_authentication")
