"""The insight API's shapes and the pages, pictures and CSV tables over HTTP."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from triplehelix.taxonomy import get_taxonomy


def test_coverage_api_shape_and_filters(leiden_client: TestClient) -> None:
    body = leiden_client.get("/api/insights/coverage").json()
    taxonomy = get_taxonomy()
    assert [g["domain"] for g in body["domains"]] == [d.code for d in taxonomy.domains()]
    for grid in body["domains"]:
        assert grid["stages"] == taxonomy.stages(grid["domain"])
        assert grid["columns"] == taxonomy.codes(grid["axis"])
        assert len(grid["cells"]) == len(grid["stages"]) == len(grid["links"])
        assert all(
            len(row) == len(grid["columns"]) and all(isinstance(n, int) for n in row)
            for row in grid["cells"]
        )
        assert grid["gaps"] and all(isinstance(s, str) for s in grid["gaps"])
    drones = leiden_client.get(
        "/api/insights/coverage", params={"domain": "drones", "municipality": "GM0537"}
    ).json()
    assert [g["domain"] for g in drones["domains"]] == ["drones"]
    assert drones["scope"]["phrase"] == "in Katwijk"
    space = leiden_client.get(
        "/api/insights/coverage", params={"cluster": "nl-space-campus", "city": "Noordwijk"}
    ).json()
    assert space["scope"]["phrase"] == "in NL Space Campus in Noordwijk"
    assert space["scope"]["organisations"] < body["scope"]["organisations"]
    bad = leiden_client.get("/api/insights/coverage", params={"cluster": "atlantis"})
    assert bad.status_code == 422 and "cluster" in bad.json()["detail"]


def test_network_and_growth_and_map_api_shapes(leiden_client: TestClient) -> None:
    net = leiden_client.get("/api/insights/network").json()
    assert set(net) >= {"nodes", "edges", "bridges"}
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert {b["id"] for b in net["bridges"]} <= ids
    only = leiden_client.get(
        "/api/insights/network", params=[("kind", "partner_of"), ("kind", "spin_off_of")]
    ).json()
    assert {e["kind"] for e in only["edges"]} == {"partner_of", "spin_off_of"}
    growth = leiden_client.get("/api/insights/growth").json()
    n = len(growth["years"])
    assert n and len(growth["founded"]) == n and all(len(v) == n for v in growth["events"].values())
    assert set(growth["events"]) == set(get_taxonomy().codes("event_kind"))
    region = leiden_client.get("/api/insights/map").json()
    assert len(region["municipalities"]) == 7


def test_pictures_are_real_svg_and_png(leiden_client: TestClient) -> None:
    for view in ("coverage", "growth", "network", "map"):
        svg = leiden_client.get(f"/insights/{view}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in svg.content[:500] and len(svg.content) > 10_000
        png = leiden_client.get(f"/insights/{view}.png")
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_coverage_svg_cells_link_to_the_organisation_list(leiden_client: TestClient) -> None:
    api = leiden_client.get("/api/insights/coverage", params={"cluster": "lbsp"}).json()
    svg = leiden_client.get("/insights/coverage.svg", params={"cluster": "lbsp"}).text
    cells = sum(len(g["stages"]) * len(g["columns"]) for g in api["domains"])
    assert svg.count('id="cell-') == cells
    assert (
        "/organisations?stage=clinical_phase_1&amp;modality=cell_therapy&amp;cluster=lbsp"
        "&amp;region=in&amp;domain=life_sciences" in svg
    )


def test_tables_download_as_csv(leiden_client: TestClient) -> None:
    api = leiden_client.get("/api/insights/coverage").json()
    rows = list(csv.reader(io.StringIO(leiden_client.get("/insights/coverage.csv").text)))
    first = api["domains"][0]
    assert rows[0][0] == "life_sciences stage"
    assert rows[1][1:-1] == [str(n) for n in first["cells"][0]]
    for view in ("growth", "network", "map"):
        response = leiden_client.get(f"/insights/{view}.csv")
        assert response.headers["content-type"].startswith("text/csv")
        assert len(response.text.splitlines()) > 2


def test_pages_render_with_their_pictures(leiden_client: TestClient) -> None:
    for path, picture in [
        ("/insights", "/insights/map.svg"),
        ("/insights/coverage?city=Leiden", 'id="cell-life_sciences-discovery-small_molecule"'),
        ("/insights/growth?cluster=lbsp", "/insights/growth.svg?cluster=lbsp"),
        ("/insights/network?kind=partner_of", "/insights/network.svg?kind=partner_of"),
        ("/insights/map", "/insights/map.svg"),
        ("/insights/report", "/insights/coverage.svg"),
    ]:
        page = leiden_client.get(path)
        assert page.status_code == 200, path
        assert picture in page.text, path
    assert (
        "Bron: CBS" in leiden_client.get("/insights/map").text
        or "CBS" in leiden_client.get("/insights/map").text
    )
