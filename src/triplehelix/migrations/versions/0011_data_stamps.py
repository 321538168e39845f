"""data stamps: one row per scope of the data, re-stamped by every write (triplehelix.stamps)

Revision ID: 0011_data_stamps
Revises: 0001
Create Date: 2026-12-01 17:35:00

Rows appear with the first write of each scope; a scope without a row has no stamp yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_data_stamps"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_stamps",
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_data_stamps")),
    )


def downgrade() -> None:
    op.drop_table("data_stamps")
