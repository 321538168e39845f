"""Matching over HTTP: the API's shape and filters, the /match page's reasons, similar organisations."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_api_match_shape(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/match", params={"q": "organ-on-chip toxicity model"}).json()
    assert body["items"], body
    first = body["items"][0]
    assert {"type", "id", "name", "score", "why"} <= set(first)
    assert first["type"] in {"organisation", "facility"}
    assert body["items"] == sorted(body["items"], key=lambda i: -i["score"])
    assert set(first["links"]) == {"page", "website", "book", "interest"}
    assert first["links"]["page"].endswith(first["id"]) and first["links"]["interest"] is None
    schema = leiden_client.get("/openapi.json").json()["paths"]["/api/match"]["get"]
    ok = schema["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/MatchResult")  # still documented, though serialised directly


def test_api_filters_and_errors(leiden_client: TestClient) -> None:
    shared = leiden_client.get("/api/match", params={"q": "cleanroom", "shared": "true"}).json()
    assert shared["items"] and all(i["type"] == "facility" for i in shared["items"])
    limited = leiden_client.get("/api/match", params={"q": "vaccine", "limit": 3}).json()
    assert len(limited["items"]) == 3
    assert leiden_client.get("/api/match", params={"q": "x", "limit": 0}).status_code == 422
    missing = leiden_client.get("/api/match")
    assert missing.status_code == 422 and "q" in missing.text
    blank = leiden_client.get("/api/match", params={"q": "   "})
    assert blank.status_code == 422 and "q:" in blank.json()["detail"]


def test_match_page_shows_reasons_with_marked_words(leiden_client: TestClient) -> None:
    page = leiden_client.get("/match", params={"q": "phase I study in healthy volunteers"})
    assert page.status_code == 200
    assert 'href="/organisations/chdr"' in page.text
    assert "<mark>volunteers</mark>" in page.text
    assert "Clinical phase I" in page.text


def test_match_page_marks_cross_cluster_and_takes_empty_filters(leiden_client: TestClient) -> None:
    params = {"q": "drone transport of blood samples between hospitals", "kind": "", "stage": ""}
    page = leiden_client.get("/match", params=params)
    assert page.status_code == 200
    assert "Suggested team" in page.text  # two domains: a team, nothing cross-cluster


def test_empty_match_page_offers_examples(leiden_client: TestClient) -> None:
    page = leiden_client.get("/match")
    assert page.status_code == 200
    assert len(re.findall(r'href="/match\?q=', page.text)) >= 3


def test_organisation_page_lists_similar_organisations(leiden_client: TestClient) -> None:
    page = leiden_client.get("/organisations/halix")
    assert "Similar organisations" in page.text
    similar = leiden_client.get("/api/organisations/halix/similar").json()
    assert similar and all(i["id"] != "halix" for i in similar)
    assert leiden_client.get("/api/organisations/nope/similar").status_code == 404
