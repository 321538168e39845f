"""Posts and interests follow their organisation through a merge (and back on unmerge), so
merging two records of one organisation never deletes its marketplace history."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from triplehelix.marketplace.models import Interest, Post

TABLES: dict[str, type[Post] | type[Interest]] = {"posts": Post, "interests": Interest}


def move_marketplace(
    session: Session, old_id: str, new_id: str, only: dict[str, list[int]] | None = None
) -> dict[str, list[int]]:
    """Give `old_id`'s posts and interests (or just the ids in `only`) to `new_id`."""
    moved: dict[str, list[int]] = {}
    for name, table in TABLES.items():
        query = select(table.id).where(table.organisation_id == old_id)
        ids = list(session.scalars(query)) if only is None else list(only.get(name, []))
        session.execute(update(table).where(table.id.in_(ids)).values(organisation_id=new_id))
        moved[name] = ids
    return moved
