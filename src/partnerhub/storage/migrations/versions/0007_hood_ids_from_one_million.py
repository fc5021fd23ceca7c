"""Hood integrations, deals and campaigns numbered from one million on SQLite too

Hood ids look like Ocamba's ("1000412"): PostgreSQL numbers these tables from their Identity's
start, but SQLite's AUTOINCREMENT needs its sequence seeded, as 0001 does for the first tables.
Ids already given out (below one million) stay; new ones start at 1000000.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("hood_integrations", "hood_deals", "hood_campaigns")
LAST_BELOW_FIRST_ID = 999_999


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        op.execute(
            sa.text("UPDATE sqlite_sequence SET seq = MAX(seq, :s) WHERE name = :t").bindparams(
                t=table, s=LAST_BELOW_FIRST_ID
            )
        )
        op.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :t, :s "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :t)"
            ).bindparams(t=table, s=LAST_BELOW_FIRST_ID)
        )


def downgrade() -> None:
    """The sequence is left as it is: ids given out stay given out."""
