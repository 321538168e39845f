"""Public shapes of the insight views: what the API returns and the pictures are drawn from."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.dataclasses import dataclass


class Scope(BaseModel):
    cluster: str | None = None
    city: str | None = None
    # CBS code of the municipality in scope, and its name
    municipality: str | None = None
    municipality_name: str | None = None
    domain: str | None = None
    # How the scope reads in a sentence: "in the region", "in Katwijk", ...
    phrase: str
    organisations: int
    # The directory query that lists exactly these organisations
    params: dict[str, str] = {}


class DomainCoverage(BaseModel):
    """One domain's grid: its own value-chain stages (rows) by its second axis (columns)."""

    domain: str
    domain_label: str
    axis: str  # the taxonomy scheme of the columns: modality, helix, ...
    axis_label: str
    organisations: int  # organisations in scope working in the domain
    stages: list[str]
    columns: list[str]
    cells: list[list[int]]
    gaps: list[str]
    # The directory list each gap sentence is about (its cell, stage or column), same order
    gap_links: list[str]
    stage_labels: list[str]
    column_labels: list[str]
    stage_totals: list[int]
    column_totals: list[int]
    # The directory link of every cell (same rows and columns as `cells`)
    links: list[list[str]]


class CoveragePublic(BaseModel):
    domains: list[DomainCoverage]
    scope: Scope


class Growth(BaseModel):
    """Counts per year (`insights.service.analysis.growth_series`)."""

    years: list[int]
    founded: list[int]
    moved_in: list[int]
    events: dict[str, list[int]]
    cumulative_founded: list[int]
    cumulative_moved_in: list[int]
    cumulative_events: list[int]
    # Counts that fall before the first year shown (they still start the cumulative lines).
    before: dict[str, int]


class GrowthPublic(Growth):
    scope: Scope


class NodePublic(BaseModel):
    """An organisation in the relation graph with its measures (`insights.service.network`)."""

    id: str
    name: str
    cluster: str | None  # the cluster a picture colours the node by
    degree: int
    betweenness: float
    community: int
    bridge: bool


@dataclass(frozen=True)
class Edge:
    """A relation of the graph: what the network analysis reads and the API returns."""

    source: str
    target: str
    kind: str


class BridgePublic(BaseModel):
    id: str
    name: str
    betweenness: float
    degree: int
    community: str
    links_to: dict[str, int]  # other community name -> number of links


class NetworkPublic(BaseModel):
    nodes: list[NodePublic]
    edges: list[Edge]
    bridges: list[BridgePublic]
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


class MapPublic(BaseModel):
    municipalities: list[MunicipalityCount]
    organisations: list[PlacedOrganisation]
    outside_region: int  # organisations outside the scope (outside the region or filtered out)
    attribution: str
    unplaced: int = 0  # in scope but with no site to draw (no city, address or campus)
    focus: str | None = None  # the municipality (code) the map is centred on


class DataInfo(BaseModel):
    dataset: str
    accessed: str | None
    sources: int
    generated: str
