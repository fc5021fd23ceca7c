"""Core logins unique ignoring case: a unique index on lower(login)

The service always checked logins case-insensitively, but the database only enforced exact
uniqueness, so concurrent creates of "Ann" and "ANN" both succeeded. The plain unique
constraint stays: authentication looks a login up exactly and uses it.

Existing logins that already collide ignoring case stop the migration, naming them: which of
two partners keeps a login is the operator's call (rename the others, e.g. with a Core PATCH of
`login` or in SQL, then migrate again). Nothing is changed until then.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "uq_core_partners_login_lower"


def upgrade() -> None:
    colliding = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT login FROM core_partners WHERE lower(login) IN "
                "(SELECT lower(login) FROM core_partners GROUP BY lower(login) "
                "HAVING count(*) > 1) ORDER BY lower(login), login"
            )
        )
        .scalars()
        .all()
    )
    if colliding:
        shown = ", ".join(repr(login) for login in colliding[:50])
        more = f" and {len(colliding) - 50} more" if len(colliding) > 50 else ""
        raise RuntimeError(
            "Migration 0009 makes Core logins unique ignoring case, but these logins collide "
            f"ignoring case: {shown}{more}. Rename all but one of each group, then migrate again."
        )
    op.create_index(INDEX, "core_partners", [sa.text("lower(login)")], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="core_partners")
