"""The directory's HTML pages over HTTP, on both databases."""

from __future__ import annotations

import json
import re
from html import unescape

from fastapi.testclient import TestClient


def _hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_home_has_figures_charts_and_both_search_boxes(leiden_client: TestClient) -> None:
    html = leiden_client.get("/").text
    assert '<form class="searchbox" action="/organisations"' in html
    assert 'action="/match"' in html
    assert "<strong>255</strong> organisations" in html
    assert html.count("<svg") >= 3
    assert "/organisations?kind=company" in html


def test_faceted_listing_marks_filters_and_links_every_state(leiden_client: TestClient) -> None:
    response = leiden_client.get("/organisations?kind=company&city=Leiden")
    assert response.status_code == 200
    html = response.text
    assert "<strong>56</strong> organisations" in html
    hrefs = _hrefs(html)
    # removing the kind filter keeps the city filter
    assert "/organisations?city=Leiden" in hrefs
    # adding a second kind keeps both kinds and the city
    assert "/organisations?city=Leiden&kind=company&kind=university" in hrefs
    # the two chosen facet values (the language switch marks the current language too)
    assert html.count('rel="nofollow" aria-current="true"') == 2
    assert "Next →" in html


def test_search_and_pages(leiden_client: TestClient) -> None:
    html = leiden_client.get("/organisations?q=vaccine").text
    assert "Janssen" in html or "Batavia" in html
    page2 = leiden_client.get("/organisations?page=2").text
    page1 = leiden_client.get("/organisations").text
    first = re.findall(r'<h2><a href="(/organisations/[^"]+)"', page1)
    second = re.findall(r'<h2><a href="(/organisations/[^"]+)"', page2)
    assert len(first) == 20 and not set(first) & set(second)
    bad_page = leiden_client.get("/organisations?page=0")
    assert bad_page.status_code == 422
    assert "<html" in bad_page.text and "page:" in bad_page.text  # a page, naming the field
    api = leiden_client.get("/api/organisations?limit=0")
    assert api.status_code == 422 and api.json()["errors"][0]["loc"] == ["query", "limit"]


def test_bad_sort_is_an_error_page(leiden_client: TestClient) -> None:
    response = leiden_client.get("/organisations?sort=size")
    assert response.status_code == 422
    assert "sort" in response.text and "<html" in response.text


def test_organisation_page_shows_everything_and_jsonld(leiden_client: TestClient) -> None:
    html = leiden_client.get("/organisations/leiden-university").text
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    doc = json.loads(match.group(1))
    assert doc["name"] == "Leiden University" and doc["@context"] == "https://schema.org"
    assert "has spin-off" in html and "Relations" in html and "Sources" in html
    assert 'class="relation" href="/organisations/' in html
    assert "Similar organisations" in html  # filled by matching, never a placeholder


def test_organisation_page_lists_facilities_and_labels(leiden_client: TestClient) -> None:
    html = leiden_client.get("/organisations/halix").text
    assert "/facilities/halix-cgmp-plant" in html
    assert "Open to others" in html


def test_unknown_organisation_is_a_404_page(leiden_client: TestClient) -> None:
    response = leiden_client.get("/organisations/nope")
    assert response.status_code == 404
    assert "Not found" in response.text


def test_facility_pages(leiden_client: TestClient) -> None:
    html = leiden_client.get("/facilities?shared=yes").text
    assert "<strong>23</strong> facilities" in html
    detail = leiden_client.get("/facilities/halix-cgmp-plant").text
    assert 'href="/organisations/halix"' in detail
    assert leiden_client.get("/facilities/nope").status_code == 404


def test_events_grouped_by_year_and_filtered(leiden_client: TestClient) -> None:
    html = leiden_client.get("/events?kind=ipo").text
    assert "<strong>4</strong> events" in html
    assert re.search(r'<h2 id="y\d{4}">', html)
    empty_years = leiden_client.get("/events?year_from=&year_to=")
    assert empty_years.status_code == 200
    assert leiden_client.get("/events?year_from=soon").status_code == 422
