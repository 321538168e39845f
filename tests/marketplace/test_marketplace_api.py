"""The marketplace API over HTTP with bearer tokens: the whole flow, refusals and bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.marketplace.factories import make_people
from triplehelix.accounts import service as accounts
from triplehelix.db import transaction
from triplehelix.mail import outbox


def _tokens(engine: Engine) -> dict[str, dict[str, str]]:
    with transaction(engine) as session:
        people = make_people(session)
        return {
            name: {
                "Authorization": f"Bearer {accounts.create_token(session, getattr(people, name))}"
            }
            for name in ("poster", "other", "admin", "loner")
        }


def test_post_review_interest_accept_introduction(engine: Engine, client: TestClient) -> None:
    auth = _tokens(engine)
    made = client.post("/api/posts", headers=auth["poster"], json={
        "type": "technology_request", "title": "Thermal vacuum testing",
        "text": "We need thermal vacuum testing of a bioreactor.", "domains": ["space"], "trl": 5,
    })  # fmt: skip
    assert made.status_code == 201, made.text
    post = made.json()
    assert {"id", "type", "title", "text", "state", "organisation", "domains", "stages",
            "expires"} <= post.keys()  # fmt: skip
    assert (post["state"], post["organisation"], post["contact"]) == ("draft", "acme-bio", None)
    pid = post["id"]
    assert client.get(f"/api/posts/{pid}").status_code == 404  # drafts are not public
    assert client.get(f"/api/posts/{pid}", headers=auth["poster"]).status_code == 200
    assert (
        client.patch(f"/api/posts/{pid}", headers=auth["other"], json={"title": "x"}).status_code
        == 403
    )
    edited = client.patch(f"/api/posts/{pid}", headers=auth["poster"], json={"trl": 6})
    assert edited.json()["trl"] == 6 and edited.json()["title"] == "Thermal vacuum testing"
    assert (
        client.post(f"/api/posts/{pid}/submit", headers=auth["poster"]).json()["state"]
        == "submitted"
    )
    review = {"decision": "approve", "comment": ""}
    assert (
        client.post(f"/api/posts/{pid}/review", headers=auth["poster"], json=review).status_code
        == 403
    )
    assert (
        client.post(f"/api/posts/{pid}/review", headers=auth["admin"], json=review).json()["state"]
        == "published"
    )
    assert [
        p["id"] for p in client.get("/api/posts", params={"type": "technology_request"}).json()
    ] == [pid]
    assert client.get("/api/posts", params={"domain": "drones"}).json() == []

    own = client.post(f"/api/posts/{pid}/interests", headers=auth["poster"], json={"message": "me"})
    assert own.status_code == 403
    interest = client.post(
        f"/api/posts/{pid}/interests", headers=auth["other"], json={"message": "We can."}
    )
    assert interest.status_code == 201 and interest.json()["state"] == "pending"
    iid = interest.json()["id"]
    assert client.post(f"/api/interests/{iid}/accept", headers=auth["other"]).status_code == 403
    accepted = client.post(f"/api/interests/{iid}/accept", headers=auth["poster"])
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    # no SMTP host in the test settings: both introductions are in the outbox
    written = outbox(client.app.state.settings)  # type: ignore[attr-defined]
    assert sorted(e.to for e in written) == ["other@orbit.example", "poster@acme.example"]
    [intro] = client.get("/api/introductions", headers=auth["other"]).json()
    assert intro["poster_contact"] == "poster@acme.example" and intro["cross_cluster"]
    assert client.get("/api/introductions", headers=auth["loner"]).json() == []
    matches = client.get(f"/api/posts/{pid}/matches")
    assert matches.status_code == 200
    assert [o["id"] for o in matches.json()["organisations"]][:1] == ["orbit-works"]


def test_writes_need_a_token_and_bad_input_names_the_field(
    engine: Engine, client: TestClient
) -> None:
    auth = _tokens(engine)
    body = {"type": "technology_request", "title": "T", "text": "x"}
    assert client.post("/api/posts", json=body).status_code == 401
    bad = client.post("/api/posts", headers=auth["poster"], json={**body, "trl": 12})
    assert bad.status_code == 422 and "trl" in bad.json()["detail"]
    unknown = client.post("/api/posts", headers=auth["poster"], json={**body, "colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.text
    assert client.post("/api/posts", headers=auth["loner"], json=body).status_code == 403
    assert client.get("/api/posts").json() == []
    assert client.get("/api/posts/999").status_code == 404
    assert client.post("/api/interests/999/accept", headers=auth["poster"]).status_code == 404
    assert client.get("/api/posts", params={"trl": "high"}).status_code == 422
