"""Pydantic shapes of one line of each dataset file; taxonomy checks live in validate.py."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from triplehelix.fields import SERVICES_MAX, Details, EventSummary, Name, ServiceText, Summary

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationRecord(_Record):
    id: str = Field(pattern=SLUG, max_length=120)
    name: Name = Field(min_length=1)
    aliases: list[Name] = []
    kind: str
    clusters: list[str] = []
    city: str | None = None
    address: str | None = None
    website: str | None = None
    founded: int | None = Field(default=None, ge=1000, le=2100)
    value_chain: list[str] = []
    domains: list[str] = []
    # A CBS municipality code from the gazetteer; derived from city/address when not given.
    municipality: str | None = None
    modalities: list[str] = []
    technologies: list[str] = []
    services: list[ServiceText] = Field(default=[], max_length=SERVICES_MAX)
    summary: Summary = ""
    identifiers: dict[str, str] = {}
    sources: list[str] = []


class FacilityRecord(_Record):
    id: str = Field(pattern=SLUG, max_length=120)
    name: Name = Field(min_length=1)
    owner: str
    kind: str
    details: Details = ""
    shared: bool | Literal["unknown"] | None = None
    sources: list[str] = []


class RelationRecord(_Record):
    source: str
    target: str
    kind: str
    since: int | None = Field(default=None, ge=1000, le=2100)
    sources: list[str] = []


class EventRecord(_Record):
    date: str
    kind: str
    orgs: list[str] = Field(min_length=1)
    summary: EventSummary = Field(min_length=1)
    sources: list[str] = []

    @field_validator("date")
    @classmethod
    def _date_shape(cls, value: str) -> str:
        if not DATE.match(value):
            raise ValueError("must be YYYY or YYYY-MM-DD")
        return value


class DatasetManifest(_Record):
    name: str = "unnamed dataset"
    region: str | None = None
    accessed: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    licence: str | None = None
