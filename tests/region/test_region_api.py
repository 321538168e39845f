"""The region routes over HTTP: municipalities (JSON and page), the new directory filters."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_municipalities_api(leiden_client: TestClient) -> None:
    items = leiden_client.get("/api/municipalities").json()
    assert [i["name"] for i in items] == sorted(i["name"] for i in items)
    assert len(items) == 7
    katwijk = leiden_client.get("/api/municipalities/GM0537").json()
    assert katwijk["name"] == "Katwijk" and katwijk["record"]["id"] == "gemeente-katwijk"
    listed = leiden_client.get(
        "/api/organisations", params={"municipality": "GM0537", "region": "in"}
    ).json()
    assert katwijk["organisations"] == listed["total"]
    assert next(i for i in items if i["code"] == "GM0537")["organisations"] == listed["total"]
    by_name = leiden_client.get("/api/municipalities/Valkenburg").json()
    assert by_name["code"] == "GM0537"
    missing = leiden_client.get("/api/municipalities/GM0363")  # Amsterdam: not in the region
    assert missing.status_code == 404 and "municipality" in missing.json()["detail"]


def test_organisation_filters(leiden_client: TestClient) -> None:
    by_place = leiden_client.get("/api/organisations", params={"municipality": "Katwijk"}).json()
    by_code = leiden_client.get("/api/organisations", params={"municipality": "GM0537"}).json()
    villages = sum(
        leiden_client.get("/api/organisations", params={"city": c}).json()["total"]
        for c in ("Katwijk", "Katwijk (Valkenburg)", "Katwijk (Rijnsburg)")
    )
    assert by_place["total"] == by_code["total"] >= villages
    values = {v["value"] for v in by_code["facets"]["municipality"] if v["selected"]}
    assert values == {"GM0537"}
    out = leiden_client.get("/api/organisations", params={"region": "out", "limit": 500}).json()
    assert out["total"] and all(
        not i["in_region"] and i["outside"].startswith("outside the region") for i in out["items"]
    )
    toronto = next(i for i in out["items"] if i["id"] == "ccrm")
    assert toronto["outside"] == "outside the region · Toronto"
    drones = leiden_client.get(
        "/api/organisations", params={"domain": "drones", "kind": "company"}
    ).json()
    assert drones["total"] and all(
        "drones" in [d["code"] for d in i["domains"]] for i in drones["items"]
    )
    partners = leiden_client.get("/api/organisations", params={"partner": "any"}).json()
    roles = {v["value"]: v["count"] for v in partners["facets"]["partner"]}
    assert sum(roles.values()) == partners["total"]
    bad = leiden_client.get("/api/organisations", params={"region": "somewhere"})
    assert bad.status_code == 422


def test_municipality_page_and_links(leiden_client: TestClient) -> None:
    page = leiden_client.get("/municipalities/GM0537")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Katwijk</h1>" in html and 'id="domain-drones"' in html
    assert 'id="domain-life_sciences"' not in html
    assert "data-print" in html and 'id="municipality-map"' in html
    assert "/insights/growth.svg?municipality=GM0537" in html
    record = leiden_client.get("/organisations/gemeente-katwijk").text
    assert 'href="/municipalities/GM0537"' in record
    assert "outside the region · Toronto" in leiden_client.get("/organisations/ccrm").text
    assert 'href="/municipalities/GM0537"' in leiden_client.get("/").text
    listing = leiden_client.get("/municipalities").text
    assert 'href="/municipalities/GM0575"' in listing
    assert leiden_client.get("/municipalities/nowhere").status_code == 404
    assert (
        leiden_client.get("/insights/map.svg", params={"municipality": "GM0537"}).status_code == 200
    )


def test_network_communities_have_distinct_names(leiden_client: TestClient) -> None:
    names = leiden_client.get("/api/insights/network").json()["communities"]
    assert len(names) == len(set(names)) > 1
