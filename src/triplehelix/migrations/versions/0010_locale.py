"""an account's language: users.locale (None: follow the browser)

Revision ID: 0010_locale
Revises: 0002_accounts_bookings
Create Date: 2026-12-01 14:20:00

The users table is not watched by the full-text triggers, so no index is rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_locale"
down_revision: str | Sequence[str] | None = "0002_accounts_bookings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
