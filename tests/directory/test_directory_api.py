"""The directory's JSON API over HTTP, on both databases."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

Records = dict[str, list[dict[str, Any]]]


def test_organisations_filter_and_facets(leiden_client: TestClient, records: Records) -> None:
    response = leiden_client.get(
        "/api/organisations", params={"kind": "company", "city": "Leiden", "limit": 5}
    )
    assert response.status_code == 200
    body = response.json()
    companies_in_leiden = [
        o for o in records["organisations"] if o["kind"] == "company" and o["city"] == "Leiden"
    ]
    assert body["total"] == len(companies_in_leiden)
    assert len(body["items"]) == 5
    assert {"kind", "cluster", "city", "stage", "modality"} <= set(body["facets"])
    # disjunctive: the kind facet counts every kind in Leiden, not only companies
    kinds = {v["value"]: v["count"] for v in body["facets"]["kind"]}
    assert kinds == Counter(o["kind"] for o in records["organisations"] if o["city"] == "Leiden")
    assert {"id", "name", "kind_label", "clusters", "value_chain", "modalities"} <= set(
        body["items"][0]
    )


def test_organisations_repeated_parameters_mean_any_of(leiden_client: TestClient) -> None:
    one = leiden_client.get("/api/organisations?kind=university").json()["total"]
    two = leiden_client.get("/api/organisations?kind=university&kind=education").json()
    assert two["total"] == one + 10


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=abc", "limit"), ("offset=-2", "offset"), ("sort=size", "sort")],
)
def test_bad_query_parameters_are_422_naming_the_field(
    leiden_client: TestClient, query: str, field: str
) -> None:
    response = leiden_client.get(f"/api/organisations?{query}")
    assert response.status_code == 422
    assert any(field in problem["loc"] for problem in response.json()["errors"])


def test_organisation_detail_and_not_found(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/organisations/leiden-university").json()
    assert body["name"] == "Leiden University"
    assert {r["direction"] for r in body["relations"]} == {"in", "out"}
    assert body["sources"] and body["events"]
    missing = leiden_client.get("/api/organisations/nope")
    assert missing.status_code == 404
    assert "nope" in missing.json()["detail"]


def test_facilities_and_facility(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/facilities?shared=yes").json()
    assert body["total"] == 23
    assert leiden_client.get("/api/facilities?shared=maybe").status_code == 422
    fac = leiden_client.get("/api/facilities/halix-cgmp-plant").json()
    assert fac["owner"]["id"] == "halix"
    assert leiden_client.get("/api/facilities/nope").status_code == 404


def test_events(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/events?kind=ipo").json()
    assert body["total"] == 4 and all(e["kind"] == "ipo" for e in body["items"])
    ranged = leiden_client.get("/api/events?year_from=2020&year_to=2021").json()
    assert ranged["items"] and all(2020 <= e["year"] <= 2021 for e in ranged["items"])


def test_taxonomy(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/taxonomy").json()
    assert "vaccines" in [t["code"] for t in body["modality"]["terms"]]


def test_openapi_documents_the_query_parameters(leiden_client: TestClient) -> None:
    spec = leiden_client.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/organisations"]["get"]["parameters"]}
    assert {"q", "kind", "cluster", "city", "stage", "modality", "sort", "limit"} <= params
    assert "OrganisationList" in spec["components"]["schemas"]
    assert "/organisations" not in spec["paths"]  # pages stay out of the API docs
