"""Headline counts of the directory, for `triplehelix info` and the home page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triplehelix.db import Base
from triplehelix.directory import models as m


def directory_counts(session: Session) -> dict[str, int]:
    def count(model: type[Base]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "organisations": count(m.Organisation),
        "facilities": count(m.Facility),
        "relations": count(m.Relation),
        "events": count(m.Event),
        "sources": count(m.Source),
    }
