"""Tables of the directory / knowledge graph. Every fact-carrying record links to its sources."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from triplehelix.db import Base


class Source(Base):
    """Where a fact came from: a URL (or a label such as 'edited by the organisation'), a date."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    accessed: Mapped[date | None] = mapped_column(Date)
    label: Mapped[str | None] = mapped_column(String(200))


def _source_link(name: str, fk: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("record_id", ForeignKey(fk, ondelete="CASCADE"), primary_key=True),
        Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    )


organisation_sources = _source_link("organisation_sources", "organisations.id")
facility_sources = _source_link("facility_sources", "facilities.id")
relation_sources = _source_link("relation_sources", "relations.id")
event_sources = _source_link("event_sources", "events.id")


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    city: Mapped[str | None] = mapped_column(String(120), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    founded: Mapped[int | None] = mapped_column(Integer)
    # CBS municipality code derived from city/address by the gazetteer (city kept as written).
    municipality: Mapped[str | None] = mapped_column(String(20), index=True)
    # In the region: its municipality is one of the region's, or it carries a region cluster.
    in_region: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    summary: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased text of every searchable field, re-derived before each flush that changes one
    # (directory/service/search_text.py): never set by hand.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Hash of the loaded record, so loading the same data twice changes nothing.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    origin: Mapped[str] = mapped_column(String(40), default="dataset")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    aliases: Mapped[list[OrganisationAlias]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationAlias.position"
    )
    tags: Mapped[list[OrganisationTag]] = relationship(
        cascade="all, delete-orphan", order_by="OrganisationTag.position"
    )
    services: Mapped[list[Service]] = relationship(
        cascade="all, delete-orphan", order_by="Service.position"
    )
    identifiers: Mapped[list[Identifier]] = relationship(cascade="all, delete-orphan")
    sources: Mapped[list[Source]] = relationship(secondary=organisation_sources)

    def tag_codes(self, scheme: str) -> list[str]:
        return [t.code for t in self.tags if t.scheme == scheme]

    @property
    def domains(self) -> list[str]:
        return self.tag_codes("domain")


class OrganisationAlias(Base):
    __tablename__ = "organisation_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class OrganisationTag(Base):
    """A taxonomy code on an organisation: cluster, value_chain, domain, modality, technology."""

    __tablename__ = "organisation_tags"
    __table_args__ = (UniqueConstraint("organisation_id", "scheme", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(80), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Service(Base):
    """A capability phrase an organisation offers ("aseptic fill-finish of biologics")."""

    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Identifier(Base):
    """A persistent identifier: scheme ror, wikidata, kvk, domain, grid, isni, fundref.

    A web domain may be shared (an agency and its centre); the registry ids are checked for
    uniqueness by the loaders, which can name the offending record.
    """

    __tablename__ = "identifiers"
    __table_args__ = (UniqueConstraint("organisation_id", "scheme", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(300))


class Facility(Base):
    __tablename__ = "facilities"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60), index=True)
    details: Mapped[str] = mapped_column(Text, default="")
    # True: open to others; False: in-house; None: the sources do not say.
    shared: Mapped[bool | None] = mapped_column(Boolean)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")

    owner: Mapped[Organisation] = relationship()
    sources: Mapped[list[Source]] = relationship(secondary=facility_sources)


class Relation(Base):
    """A typed, directed link "source KIND target"; partner_of is undirected and stored once."""

    __tablename__ = "relations"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), index=True)
    since: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")

    source: Mapped[Organisation] = relationship(foreign_keys=[source_id])
    target: Mapped[Organisation] = relationship(foreign_keys=[target_id])
    sources: Mapped[list[Source]] = relationship(secondary=relation_sources)


class Event(Base):
    """A dated happening on the timeline; `date` is YYYY or YYYY-MM-DD as the sources allow."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Content hash of date, kind, organisations and summary: events have no id in the dataset.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    date: Mapped[str] = mapped_column(String(10), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    summary: Mapped[str] = mapped_column(Text)

    participants: Mapped[list[EventOrganisation]] = relationship(
        cascade="all, delete-orphan", order_by="EventOrganisation.position"
    )
    sources: Mapped[list[Source]] = relationship(secondary=event_sources)


class EventOrganisation(Base):
    __tablename__ = "event_organisations"
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship()
