"""full-text indexes of organisations, facilities and events (SQLite FTS5, PostgreSQL tsvector)

Revision ID: 0005_fulltext
Revises: 0004_region, 0008_trust, 0009_booking (after every revision that rebuilds a watched table)
Create Date: 2026-12-01 11:40:00

The documents are defined here, not imported from the application, so that this revision builds
the same index whenever it runs; a database that already holds data gets its index filled.
"""

from collections.abc import Sequence

from alembic import op

from triplehelix.search.service.fulltext_ddl import IndexDefinition, Watch, create_index, drop_index

revision: str = "0005_fulltext"
down_revision: str | Sequence[str] | None = ("0004_region", "0008_trust", "0009_booking")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORGANISATIONS = IndexDefinition(
    name="organisations",
    document="SELECT o.id AS key, o.name AS name, o.summary AS summary, o.search_text AS body"
    " FROM organisations o",
    watches=(Watch("organisations", "SELECT {row}.id"),),
)
FACILITIES = IndexDefinition(
    name="facilities",
    document="SELECT f.id AS key, f.name AS name, f.details AS summary,"
    " replace(f.kind, '_', ' ') || ' ' || o.name || ' ' || coalesce((SELECT"
    " {agg}(r.name || ' ' || r.description, ' ') FROM resources r WHERE r.facility_id = f.id),"
    " '') AS body FROM facilities f JOIN organisations o ON o.id = f.owner_id",
    watches=(
        Watch("facilities", "SELECT {row}.id"),
        Watch("resources", "SELECT {row}.facility_id"),
        Watch("organisations", "SELECT id FROM facilities WHERE owner_id = {row}.id", ("name",)),
    ),
)
EVENTS = IndexDefinition(
    name="events",
    document="SELECT e.id AS key, coalesce((SELECT {agg}(o.name, ' ') FROM event_organisations eo"
    " JOIN organisations o ON o.id = eo.organisation_id WHERE eo.event_id = e.id), '') AS name,"
    " e.summary AS summary, replace(e.kind, '_', ' ') AS body FROM events e",
    watches=(
        Watch("events", "SELECT {row}.id"),
        Watch("event_organisations", "SELECT {row}.event_id"),
        Watch(
            "organisations",
            "SELECT event_id FROM event_organisations WHERE organisation_id = {row}.id",
            ("name",),
        ),
    ),
    key_type="INTEGER",
)
INDEXES = (ORGANISATIONS, FACILITIES, EVENTS)


def upgrade() -> None:
    for index in INDEXES:
        create_index(op.get_bind(), index)


def downgrade() -> None:
    for index in reversed(INDEXES):
        drop_index(op.get_bind(), index)
