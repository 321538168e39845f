"""Shapes of a match: each result with its score and the reasons it was chosen."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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


class MatchFacets(BaseModel):
    """The filters of a match, for /match and /api/match (FastAPI query-parameter models): a
    repeated parameter means any of its values. The need (`q`) and the number of results are
    the routes' own."""

    kind: list[str] = []
    cluster: list[str] = []
    city: list[str] = []
    stage: list[str] = []
    modality: list[str] = []
    shared: bool = Field(False, description="Only facilities open to others.")


class MatchQuery(MatchFacets):
    type: list[str] = []
    region: Literal["in", "all"] = Field(
        "all", description="in: only organisations in the region; all: outside parties too."
    )


class MatchPageQuery(MatchFacets):
    region: Literal["in", "all"] = "in"  # a person asking on the page looks in the region first

    def chosen(self) -> MatchPageQuery:
        """Without the blanks the form's "any" choices send."""
        facets = ("kind", "cluster", "city", "stage", "modality")
        blank = {name: [v for v in getattr(self, name) if v] for name in facets}
        return self.model_copy(update=blank)
