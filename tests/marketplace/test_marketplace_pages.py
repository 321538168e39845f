"""Marketplace pages over HTTP: the list with facets, writing a post, review queue, the post page
with the interest form, the inbox, alerts and the Atom feed."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import csrf
from tests.marketplace.factories import PASSWORD, make_people, published_post
from triplehelix.db import transaction


def _sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    token = csrf(client, "/signin")
    reply = client.post("/signin", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token, "next": "/"},
                        follow_redirects=False)  # fmt: skip
    assert reply.status_code == 303


def test_write_review_publish_and_list(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        make_people(session)
    _sign_in(client, "poster@acme.example")
    token = csrf(client, "/marketplace/new")
    form = {"csrf_token": token, "type": "technology_offer", "title": "AAV vector process",
            "text": "We offer GMP manufacturing of AAV vectors.", "domains": ["life_sciences"],
            "trl": "12", "then": "submit"}  # fmt: skip
    bad = client.post("/marketplace/new", data=form)
    assert bad.status_code == 422 and "trl" in bad.text
    assert 'value="AAV vector process"' in bad.text  # values kept
    assert re.search(r'id="err-trl"[^>]*>A technology readiness level is 1 to 9', bad.text)
    made = client.post("/marketplace/new", data={**form, "trl": "6"}, follow_redirects=False)
    assert made.status_code == 303
    post_url = made.headers["location"]
    assert "submitted" in client.get("/marketplace/mine").text
    assert client.get("/admin/posts").status_code == 403

    _sign_in(client, "admin@region.example")
    queue = client.get("/admin/posts")
    assert "AAV vector process" in queue.text
    post_id = post_url.rsplit("/", 1)[1]
    token = csrf(client, "/admin/posts")
    done = client.post(f"/admin/posts/{post_id}/review",
                       data={"csrf_token": token, "decision": "approve", "comment": ""},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    client.cookies.clear()
    listing = client.get("/marketplace", params={"type": "technology_offer", "trl": "6"})
    assert "AAV vector process" in listing.text
    assert "AAV vector process" in listing.text
    assert "TRL 6" in listing.text
    assert "AAV vector process" not in client.get("/marketplace", params={"domain": "space"}).text
    assert client.get("/marketplace", params={"trl": "six"}).status_code == 422
    shown = client.get(post_url)
    assert shown.status_code == 200 and "Sign in" in shown.text
    assert "poster@acme.example" not in shown.text  # no personal contact before consent


def test_interest_from_the_page_and_accept_in_the_inbox(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        post_id = published_post(session, make_people(session)).id
    _sign_in(client, "other@orbit.example")
    page = client.get(f"/marketplace/{post_id}")
    assert "Express interest" in page.text
    token = csrf(client, f"/marketplace/{post_id}")
    sent = client.post(f"/marketplace/{post_id}/interest",
                       data={"csrf_token": token, "message": "We have a TVAC chamber."},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    assert "Your interest was sent" in client.get(f"/marketplace/{post_id}").text

    _sign_in(client, "colleague@acme.example")
    inbox = client.get("/marketplace/inbox")
    assert "We have a TVAC chamber." in inbox.text
    interest_id = re.search(r"/marketplace/interests/(\d+)/accept", inbox.text).group(1)  # type: ignore[union-attr]
    token = csrf(client, "/marketplace/inbox")
    client.post(f"/marketplace/interests/{interest_id}/accept", data={"csrf_token": token})
    after = client.get("/marketplace/inbox").text
    assert "cross-cluster" in after and 'data-state="accepted"' in after


def test_own_post_shows_poster_actions_not_the_interest_form(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        post_id = published_post(session, make_people(session)).id
    _sign_in(client, "poster@acme.example")
    page = client.get(f"/marketplace/{post_id}").text
    assert "Express interest" not in page and "Withdraw" in page
    token = csrf(client, f"/marketplace/{post_id}")
    client.post(f"/marketplace/{post_id}/withdraw", data={"csrf_token": token})
    assert client.get("/marketplace").text.count(f"/marketplace/{post_id}") == 0
    assert (
        client.post(f"/marketplace/{post_id}/explode", data={"csrf_token": token}).status_code
        == 404
    )


def test_alerts_and_atom_feed(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        people = make_people(session)
        published_post(session, people)
    feed = client.get("/marketplace/feed.atom", params={"type": "technology_request"})
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(root.findall("a:entry", ns)) == 1
    title = root.find("a:entry/a:title", ns)
    assert title is not None and "Thermal vacuum" in (title.text or "")
    empty = ET.fromstring(client.get("/marketplace/feed.atom", params={"type": "job"}).content)
    assert empty.findall("a:entry", ns) == []

    _sign_in(client, "other@orbit.example")
    token = csrf(client, "/marketplace/alerts")
    client.post("/marketplace/alerts", data={"csrf_token": token, "types": ["technology_request"],
                                             "domains": ["space"]})  # fmt: skip
    page = client.get("/marketplace/alerts").text
    assert "Technology request" in page and "Stop following" in page
    bad = client.post("/marketplace/alerts", data={"csrf_token": token, "types": ["spam"],
                                                   "domains": ["space"]})  # fmt: skip
    assert bad.status_code == 422 and "types" in bad.text
    assert 'id="err-types"' in bad.text and 'value="space" checked' in bad.text  # kept


def test_a_return_without_comment_and_a_long_interest_come_back_kept(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        post_id = published_post(session, make_people(session)).id
    _sign_in(client, "other@orbit.example")
    token = csrf(client, f"/marketplace/{post_id}")
    long = "x" * 2001
    refused = client.post(f"/marketplace/{post_id}/interest",
                          data={"csrf_token": token, "message": long})  # fmt: skip
    assert refused.status_code == 422 and f">{long}</textarea>" in refused.text
    assert re.search(r'id="err-message"[^>]*>At most 2000 characters', refused.text)

    _sign_in(client, "poster@acme.example")
    token = csrf(client, "/marketplace/new")
    form = {"csrf_token": token, "type": "technology_offer", "title": "Cryo-EM time",
            "text": "Hours on a Krios.", "then": "submit"}  # fmt: skip
    made = client.post("/marketplace/new", data=form, follow_redirects=False)
    new_id = made.headers["location"].rsplit("/", 1)[1]
    _sign_in(client, "admin@region.example")
    token = csrf(client, "/admin/posts")
    back = client.post(f"/admin/posts/{new_id}/review",
                       data={"csrf_token": token, "decision": "return", "comment": " "})  # fmt: skip
    assert back.status_code == 422 and "Cryo-EM time" in back.text
    assert re.search(
        rf'id="err-p{new_id}-comment"[^>]*>Say what the poster should change', back.text
    )
