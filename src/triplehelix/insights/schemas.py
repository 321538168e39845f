"""Public shapes of the insight views: what the API returns and the pictures are drawn from."""

from __future__ import annotations

from pydantic import BaseModel


class Scope(BaseModel):
    cluster: str | None = None
    city: str | None = None
    # How the scope reads in a sentence: "in the region", "in Katwijk", ...
    phrase: str
    organisations: int


class CoverageOut(BaseModel):
    stages: list[str]
    modalities: list[str]
    cells: list[list[int]]
    gaps: list[str]
    stage_labels: list[str]
    modality_labels: list[str]
    stage_totals: list[int]
    modality_totals: list[int]
    scope: Scope


class GrowthOut(BaseModel):
    years: list[int]
    founded: list[int]
    moved_in: list[int]
    events: dict[str, list[int]]
    cumulative_founded: list[int]
    cumulative_moved_in: list[int]
    cumulative_events: list[int]
    before: dict[str, int]
    scope: Scope


class NodeOut(BaseModel):
    id: str
    name: str
    cluster: str | None
    degree: int
    betweenness: float
    community: int
    bridge: bool


class EdgeOut(BaseModel):
    source: str
    target: str
    kind: str


class BridgeOut(BaseModel):
    id: str
    name: str
    betweenness: float
    degree: int
    community: str
    links_to: dict[str, int]  # other community name -> number of links


class NetworkOut(BaseModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    bridges: list[BridgeOut]
    communities: list[str]
    kinds: list[str]


class MunicipalityCount(BaseModel):
    code: str
    name: str
    organisations: int
    population: int | None


class PlacedOrganisation(BaseModel):
    id: str
    name: str
    municipality: str
    how: str
    lon: float
    lat: float
    cluster: str | None


class MapOut(BaseModel):
    municipalities: list[MunicipalityCount]
    organisations: list[PlacedOrganisation]
    outside_region: int
    attribution: str


class DataInfo(BaseModel):
    dataset: str
    accessed: str | None
    sources: int
    generated: str
