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


class MatchItem(BaseModel):
    type: Literal["organisation", "facility", "post"]
    id: str
    name: str
    kind: str
    kind_label: str
    score: float
    why: Why


class MatchResult(BaseModel):
    query: str
    semantic: bool
    recognised: dict[str, list[CodeLabel]]
    need_cluster: CodeLabel | None
    items: list[MatchItem]
