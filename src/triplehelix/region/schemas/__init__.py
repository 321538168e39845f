"""Public shapes of the municipality figures (GET /api/municipalities...)."""

from __future__ import annotations

from pydantic import BaseModel


class Count(BaseModel):
    code: str
    label: str
    count: int


class MunicipalitySummary(BaseModel):
    code: str  # CBS municipality code, e.g. GM0537
    name: str
    population: int | None
    organisations: int
    by_domain: list[Count]


class OrganisationRef(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    city: str | None


class FacilityRef(BaseModel):
    id: str
    name: str
    kind: str
    owner_id: str
    owner_name: str
    shared: bool | None


class MunicipalityDetail(MunicipalitySummary):
    places: list[str]
    # The municipality's own record: the partnership member of role municipality located here.
    record: OrganisationRef | None
    by_kind: list[Count]
    by_cluster: list[Count]
    organisations_list: list[OrganisationRef]
    facilities: list[FacilityRef]
