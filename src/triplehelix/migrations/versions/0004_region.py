"""region: organisation municipality (CBS code from the gazetteer) and in-region flag

Existing rows are located from their city, address and cluster tags with the gazetteer, so a
database migrated without a reload counts the same as one loaded afresh.

Revision ID: 0004_region
Revises: 0001
Create Date: 2026-12-01 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_region"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("municipality", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("in_region", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_organisations_municipality"), ["municipality"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisations_in_region"), ["in_region"], unique=False)
    _locate_existing()


def _locate_existing() -> None:
    from triplehelix.region.schemas.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    conn = op.get_bind()
    orgs = sa.table(
        "organisations",
        sa.column("id", sa.String),
        sa.column("city", sa.String),
        sa.column("address", sa.String),
        sa.column("municipality", sa.String),
        sa.column("in_region", sa.Boolean),
    )
    tags = sa.table(
        "organisation_tags",
        sa.column("organisation_id", sa.String),
        sa.column("scheme", sa.String),
        sa.column("code", sa.String),
    )
    clusters: dict[str, list[str]] = {}
    for org_id, code in conn.execute(
        sa.select(tags.c.organisation_id, tags.c.code).where(tags.c.scheme == "cluster")
    ):
        clusters.setdefault(org_id, []).append(code)
    for org_id, city, address in conn.execute(sa.select(orgs.c.id, orgs.c.city, orgs.c.address)):
        mine = clusters.get(org_id, [])
        located = gaz.locate(city=city, address=address, clusters=mine)
        conn.execute(
            orgs.update()
            .where(orgs.c.id == org_id)
            .values(
                municipality=located.municipality,
                in_region=gaz.in_region(located.municipality, mine),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_in_region"))
        batch_op.drop_index(batch_op.f("ix_organisations_municipality"))
        batch_op.drop_column("in_region")
        batch_op.drop_column("municipality")
