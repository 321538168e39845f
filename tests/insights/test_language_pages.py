"""Insight pictures, tables and the report in the request's language: a Dutch picture carries
Dutch titles, axes and legends, an English one English, and the picture cache keeps one of each."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from triplehelix.i18n import use_locale
from triplehelix.insights import service
from triplehelix.taxonomy import get_taxonomy

NL = {"Accept-Language": "nl-NL,nl;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def test_a_dutch_growth_picture_has_dutch_labels(leiden_client: TestClient) -> None:
    dutch = leiden_client.get("/insights/growth.svg", headers=NL).text
    english = leiden_client.get("/insights/growth.svg", headers=EN).text
    for word in ("<!-- Groei in de regio -->", "<!-- Cumulatieve totalen", "<!-- opgericht -->",
                 "<!-- organisaties -->", "<!-- cumulatief -->"):  # fmt: skip
        assert word in dutch and word not in english
    for word in ("<!-- Growth in the region -->", "<!-- Cumulative totals", "<!-- founded -->",
                 "<!-- organisations -->"):  # fmt: skip
        assert word in english and word not in dutch
    # asked again, each language gets its own picture back from the cache
    assert leiden_client.get("/insights/growth.svg", headers=NL).text == dutch
    assert leiden_client.get("/insights/growth.svg", headers=EN).text == english


def test_map_and_network_legends_follow_the_language(leiden_client: TestClient) -> None:
    dutch_map = leiden_client.get("/insights/map.svg", headers=NL).text
    assert "<!-- campus -->" in dutch_map and "organisaties in de zeven gemeenten" in dutch_map
    assert "Grenzen: CBS" in dutch_map
    english_map = leiden_client.get("/insights/map.svg", headers=EN).text
    assert "organisations in the seven municipalities" in english_map
    dutch_net = leiden_client.get("/insights/network.svg", headers=NL).text
    assert "Relaties tussen" in dutch_net and "Relations between" not in dutch_net
    coverage = leiden_client.get("/insights/coverage", headers=NL).text  # the inline picture
    assert "schakels per" in coverage and "stages by" not in coverage


def test_csv_headers_follow_the_language_and_codes_stay(leiden_client: TestClient) -> None:
    def rows(path: str, headers: dict[str, str]) -> list[list[str]]:
        return list(csv.reader(io.StringIO(leiden_client.get(path, headers=headers).text)))

    dutch, english = rows("/insights/growth.csv", NL), rows("/insights/growth.csv", EN)
    assert dutch[0][:3] == ["jaar", "opgericht", "verhuisd"]
    assert english[0][:3] == ["year", "founded", "moved_in"]
    assert dutch[1:] == english[1:]
    coverage = rows("/insights/coverage.csv", NL)
    assert coverage[0][0] == "life_sciences schakel" and coverage[0][-1] == "totaal"
    network = rows("/insights/network.csv", NL)
    assert network[0][:2] == ["id", "naam"] and {r[-1] for r in network[1:]} <= {"ja", "nee"}


def test_the_report_in_dutch_dates_and_numbers(leiden_client: TestClient) -> None:
    page = leiden_client.get("/insights/report", headers=NL).text
    assert "Regiorapport: het innovatie-ecosysteem in cijfers" in page
    assert " organisaties, " in page and " gebeurtenissen)" in page
    english = leiden_client.get("/insights/report", headers=EN).text
    assert " organisations, " in english and "Generated " in english


def test_gap_sentences_in_dutch_say_the_same_gaps(leiden: Session) -> None:
    """The same gaps, about the same cells (links), each written as a Dutch sentence with the
    taxonomy's Dutch labels; the scope reads "in de regio"."""
    english = service.coverage(leiden)
    with use_locale("nl"):
        dutch = service.coverage(leiden)
    assert dutch.scope.phrase == "in de regio" and english.scope.phrase == "in the region"
    for nl_grid, en_grid in zip(dutch.domains, english.domains, strict=True):
        assert nl_grid.gap_links == en_grid.gap_links and nl_grid.cells == en_grid.cells
        assert all(s.startswith(("Geen ", "Maar één ", "Van de ")) for s in nl_grid.gaps)
        assert all(s.startswith(("No ", "Only one ", "Among ")) for s in en_grid.gaps)
        assert nl_grid.stage_labels == [
            get_taxonomy().label("value_chain", s, "nl") for s in nl_grid.stages
        ]
    stages = [label for grid in dutch.domains for label in grid.stage_labels]
    assert any(
        label in " ".join(g for grid in dutch.domains for g in grid.gaps) for label in stages
    )
