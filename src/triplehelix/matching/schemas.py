"""Shapes of a match: each result with its score and the reasons it was chosen."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from triplehelix.directory.schemas import CodeLabel


class Marked(BaseModel):
    """A piece of profile text and the [start, end) spans of the words that match the need."""

    text: str
    marks: list[tuple[int, int]]


class Why(BaseModel):
    matched_terms: list[str]
    services: list[Marked]
    text: Marked | None
    closest_passage: str | None
    stages: list[CodeLabel]
    modalities: list[CodeLabel]
    facility_kind: CodeLabel | None
    clusters: list[CodeLabel]
    city: str | None
    shared: bool | None
    owner: CodeLabel | None
    cross_cluster: bool
    lexical: float
    semantic: float


class Links(BaseModel):
    """Where a result leads: its page, its website, booking for a bookable facility, and
    expressing interest for a marketplace post (the post page's interest form)."""

    page: str
    website: str | None
    book: str | None
    interest: str | None = None


class MatchItem(BaseModel):
    type: Literal["organisation", "facility", "post"]
    id: str
    name: str
    kind: str
    kind_label: str
    score: float
    why: Why
    in_region: bool
    place: str | None
    links: Links


class Missing(BaseModel):
    """A requirement the need names that nothing in scope offers."""

    scheme: Literal["facility_kind", "value_chain", "modality", "term"]
    code: str
    label: str


class TeamSide(BaseModel):
    role: str
    domain: str | None
    label: str
    clusters: list[CodeLabel]
    items: list[MatchItem]


class Understood(BaseModel):
    language: Literal["en", "nl"]
    read_as: str
    translated: list[tuple[str, str]]
    domains: list[CodeLabel]
    sides: list[CodeLabel]
    region: Literal["in", "all"]
    floor: float


class MatchResult(BaseModel):
    query: str
    semantic: bool
    recognised: dict[str, list[CodeLabel]]
    need_cluster: CodeLabel | None
    items: list[MatchItem]
    nearest: list[MatchItem]
    missing: list[Missing]
    team: list[TeamSide]
    message: str | None
    understood: Understood
