"""Pydantic shapes of one line of each dataset file; taxonomy checks live in validate.py."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from triplehelix.fields import (
    SERVICES_MAX,
    Details,
    EventSummary,
    Name,
    ServiceText,
    Summary,
    Url,
)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def fingerprint(record: BaseModel) -> str:
    """A record's content hash: a load compares it with the stored one to skip what is unchanged."""
    payload = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _web_link(value: str) -> str:
    """A source or website: http(s), or (website) a bare domain; never javascript: or data:."""
    scheme = value.split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        raise ValueError(f"must be an http(s) link, not {scheme}:")
    return value


def _source_url(value: str) -> str:
    if not value.lower().startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return value


SourceUrl = Annotated[Url, AfterValidator(_source_url)]
Website = Annotated[Url, AfterValidator(_web_link)]


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
    website: Website | None = None
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
    sources: list[SourceUrl] = []


class FacilityRecord(_Record):
    id: str = Field(pattern=SLUG, max_length=120)
    name: Name = Field(min_length=1)
    owner: str
    kind: str
    details: Details = ""
    shared: bool | Literal["unknown"] | None = None
    sources: list[SourceUrl] = []


class RelationRecord(_Record):
    source: str
    target: str
    kind: str
    since: int | None = Field(default=None, ge=1000, le=2100)
    sources: list[SourceUrl] = []

    @model_validator(mode="after")
    def _not_to_itself(self) -> RelationRecord:
        if self.source == self.target:
            raise ValueError("target: an organisation cannot be related to itself")
        return self


class EventRecord(_Record):
    date: str
    kind: str
    orgs: list[str] = Field(min_length=1)
    summary: EventSummary = Field(min_length=1)
    sources: list[SourceUrl] = []

    @field_validator("date")
    @classmethod
    def _date_shape(cls, value: str) -> str:
        if not DATE.match(value):
            raise ValueError("must be YYYY or YYYY-MM-DD")
        try:
            date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            raise ValueError(f"{value} is not a calendar date") from None
        return value


class DatasetManifest(_Record):
    name: str = "unnamed dataset"
    region: str | None = None
    accessed: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    licence: str | None = None
