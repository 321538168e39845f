"""Tables of entity resolution: registry import state, review candidates, merges and redirects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from triplehelix.db import Base


class RegistryRecord(Base):
    """What the last import did with one registry record, so a re-import can say `unchanged`.

    status: linked (to organisation_id), queued (waiting for review), skipped (withdrawn).
    """

    __tablename__ = "registry_records"
    scheme: Mapped[str] = mapped_column(String(20), primary_key=True)  # "ror"
    record_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    release: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class ReviewCandidate(Base):
    """A pair for a person to judge: registry record vs organisation, or two organisations."""

    __tablename__ = "review_candidates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "ror:<ror id>:<organisation id>" or "dup:<organisation id>:<organisation id>"
    pair_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # ror | duplicate
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str | None] = mapped_column(String(40), index=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrganisationMerge(Base):
    """One merge of `other_id` into `survivor_id`, with the snapshot that undoes it."""

    __tablename__ = "organisation_merges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survivor_id: Mapped[str] = mapped_column(String(120), index=True)
    other_id: Mapped[str] = mapped_column(String(120), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrganisationRedirect(Base):
    """An id that no longer exists and where it went; pages answer 301 to the new id."""

    __tablename__ = "organisation_redirects"
    old_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(120), index=True)
    merge_id: Mapped[int] = mapped_column(
        ForeignKey("organisation_merges.id", ondelete="CASCADE"), index=True
    )
