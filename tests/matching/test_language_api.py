"""The match API answers in the request's language: the sentences (`message`), the labels of
`why`, `missing`, `recognised` and the team's roles follow Accept-Language or ?lang=, while every
code, id and score stays the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

import pytest
from fastapi.testclient import TestClient

from triplehelix.taxonomy import get_taxonomy

NL = {"Accept-Language": "nl-NL,nl;q=0.9"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture(autouse=True)
def _no_remembered_language(leiden_client: TestClient) -> Iterator[None]:
    """A ?lang= choice is kept in a cookie; the shared client must not carry it to other tests."""
    leiden_client.cookies.clear()
    yield
    leiden_client.cookies.clear()


def _match(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = client.get("/api/match", params=params, headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_what_is_missing_is_said_in_dutch_with_the_same_codes(leiden_client: TestClient) -> None:
    need = {"q": "a BSL-4 laboratory", "region": "in"}
    dutch, english = _match(leiden_client, NL, **need), _match(leiden_client, EN, **need)
    assert english["message"] == "Nothing in the region offers BSL-4"
    assert dutch["message"] == "Niets in de regio biedt BSL-4"
    assert [(m["scheme"], m["code"]) for m in dutch["missing"]] == [
        (m["scheme"], m["code"]) for m in english["missing"]
    ]
    whole = _match(leiden_client, {}, q="qwzx blorft vrimble", lang="nl")
    assert whole["message"] == "Niets in de gids past goed genoeg bij deze vraag om aan te bevelen"


def test_reasons_carry_dutch_labels_and_the_same_codes(leiden_client: TestClient) -> None:
    need = {"q": "GMP production of an AAV vector for a first-in-human trial"}
    dutch, english = _match(leiden_client, NL, **need), _match(leiden_client, EN, **need)
    assert [(i["id"], i["score"]) for i in dutch["items"]] == [
        (i["id"], i["score"]) for i in english["items"]
    ]
    tax = get_taxonomy()
    stages = [
        (d["code"], d["label"], e["label"])
        for di, ei in zip(dutch["items"], english["items"], strict=True)
        for d, e in zip(di["why"]["stages"], ei["why"]["stages"], strict=True)
    ]
    assert stages, "the need names value-chain stages, so some reasons should name them"
    for code, nl_label, en_label in stages:
        assert nl_label == tax.term("value_chain", code).label_in("nl")  # type: ignore[union-attr]
        assert en_label == tax.label("value_chain", code)
    assert any(nl != en for _, nl, en in stages)
    assert dutch["recognised"].keys() == english["recognised"].keys()


def test_a_suggested_team_names_its_roles_in_dutch(leiden_client: TestClient) -> None:
    need = {"q": "drone transport of blood samples between hospitals"}
    dutch, english = _match(leiden_client, NL, **need), _match(leiden_client, EN, **need)
    assert [s["domain"] for s in dutch["team"]] == [s["domain"] for s in english["team"]]
    roles = {s["domain"]: s["role"] for s in dutch["team"]}
    assert roles.get("drones") == "drone-operator of -ontwikkelaar"
    assert {s["domain"]: s["role"] for s in english["team"]}.get("drones") == (
        "drone operator or developer"
    )


def test_the_dutch_examples_on_the_match_page_find_help(leiden_client: TestClient) -> None:
    page = leiden_client.get("/match", headers=NL).text
    examples = [unquote_plus(q) for q in re.findall(r'class="tag" href="/match\?q=([^"]+)"', page)]
    assert len(examples) == 5 and "ziekenhuizen" in " ".join(examples)
    for need in examples:
        body = _match(leiden_client, NL, q=need, region="in")
        assert body["understood"]["language"] == "nl", need
        assert body["items"], need
