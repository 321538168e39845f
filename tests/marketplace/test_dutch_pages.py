"""The signed-in marketplace pages in Dutch: writing and editing a post, my posts, the inbox with
an interest and an introduction, alerts, a post page for its poster and for another member, and
the review queue. None shows an English message of the catalogue; the mails and notifications
that an accepted interest sends are written in Dutch as well."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import csrf
from tests.i18n.catalogue import untranslated
from tests.marketplace.factories import make_people, published_post, request_fields
from tests.marketplace.test_marketplace_pages import _sign_in
from triplehelix.accounts.models import Message
from triplehelix.db import transaction
from triplehelix.i18n import use_locale
from triplehelix.marketplace.service import alerts, create_post, interests, review_post, submit_post

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}


def _market(engine: Engine) -> dict[str, int]:
    """A published post with a pending interest, one with an accepted interest (an
    introduction), a submitted and a returned post, and an alert."""
    with transaction(engine) as session:
        people = make_people(session)
        open_post = published_post(session, people)
        answered = published_post(session, people, title="Cleanroom capacity wanted")
        interests.express_interest(session, people.other, open_post.id, "We have a TVAC chamber.")
        accepted = interests.express_interest(session, people.other, answered.id, "")
        interests.accept_interest(session, people.poster, accepted.id)
        waiting = create_post(session, people.poster, request_fields(title="Waiting post"))
        submit_post(session, people.poster, waiting.id)
        returned = create_post(session, people.poster, request_fields(title="Returned post"))
        submit_post(session, people.poster, returned.id)
        review_post(session, people.admin, returned.id, "return", "Name the payload mass.")
        alerts.follow(session, people.poster, ["technology_offer"], ["space"])
        return {"open": open_post.id, "waiting": waiting.id, "returned": returned.id}


def _dutch_page(client: TestClient, path: str) -> str:
    response = client.get(path, headers=DUTCH)
    assert response.status_code == 200, path
    assert '<html lang="nl">' in response.text
    assert untranslated(response.text, "nl") == [], path
    return response.text


@pytest.mark.parametrize(
    ("path", "dutch"),
    [
        ("/marketplace/new", "Ter beoordeling insturen"),
        ("/marketplace/{returned}/edit", "Bericht bewerken"),
        ("/marketplace/mine", "teruggestuurd naar de plaatser"),
        ("/marketplace/inbox", "Accepteren en voorstellen"),
        ("/marketplace/alerts", "Niet meer volgen"),
        ("/marketplace/{open}", "Twaalf maanden verlengen"),
    ],
)
def test_the_posters_pages_in_dutch(
    engine: Engine, client: TestClient, path: str, dutch: str
) -> None:
    ids = _market(engine)
    _sign_in(client, "poster@acme.example")
    assert dutch in _dutch_page(client, path.format(**ids))


def test_another_members_post_page_and_inbox_in_dutch(engine: Engine, client: TestClient) -> None:
    ids = _market(engine)
    _sign_in(client, "colleague@acme.example")
    _dutch_page(client, f"/marketplace/{ids['open']}")
    _sign_in(client, "other@orbit.example")
    page = _dutch_page(client, f"/marketplace/{ids['open']}")
    assert "Je interesse is verstuurd" in page  # other already expressed interest
    inbox = _dutch_page(client, "/marketplace/inbox")
    assert "over clustergrenzen" in inbox and "wacht op antwoord" in inbox


def test_the_review_queue_in_dutch(engine: Engine, client: TestClient) -> None:
    ids = _market(engine)
    _sign_in(client, "admin@region.example")
    queue = _dutch_page(client, "/admin/posts")
    assert "Waiting post" in queue and "Terugsturen met opmerking" in queue
    _dutch_page(client, f"/marketplace/{ids['returned']}")


def test_english_pages_stay_english(engine: Engine, client: TestClient) -> None:
    _market(engine)
    _sign_in(client, "poster@acme.example")
    page = client.get("/marketplace/mine", headers={"Accept-Language": "en"}).text
    assert '<html lang="en">' in page and "returned to the poster" in page
    assert "teruggestuurd" not in page


def test_introduction_mails_and_notices_follow_the_language(engine: Engine) -> None:
    with transaction(engine) as session:
        people = make_people(session)
        post = published_post(session, people)
        second = published_post(session, people, title="Second")
        dutch_interest = interests.express_interest(session, people.other, post.id, "")
        english_interest = interests.express_interest(session, people.other, second.id, "")
        with use_locale("nl"):
            _, _, mails = interests.accept_interest(session, people.poster, dutch_interest.id)
        _, _, english = interests.accept_interest(session, people.poster, english_interest.id)
        notices = [
            m.subject
            for m in session.scalars(select(Message).where(Message.user_id == people.other.id))
        ]
    assert [m.subject.split(":")[0] for m in mails] == ["Introductie", "Introductie"]
    assert "Je hebt een blijk van interesse geaccepteerd." in mails[0].body
    assert "Je interesse is geaccepteerd." in mails[1].body
    assert "technologievraag" in mails[0].body  # the post's type, in Dutch
    assert "Jullie zijn aan elkaar voorgesteld: „Thermal vacuum" in " ".join(notices)
    assert english[0].subject.startswith("Introduction: ")
    assert "You accepted an expression of interest." in english[0].body
    assert "You were introduced: “Second”" in notices


def test_a_rejected_form_names_the_field_and_says_why_in_dutch(
    engine: Engine, client: TestClient
) -> None:
    _market(engine)
    _sign_in(client, "poster@acme.example")
    token = csrf(client, "/marketplace/new")
    form = {"csrf_token": token, "type": "technology_offer", "title": "", "text": "GMP vectors",
            "trl": "12", "then": "save"}  # fmt: skip
    bad = client.post("/marketplace/new", data=form, headers=DUTCH)
    assert bad.status_code == 422
    assert 'id="err-title" role="alert">Geef een titel' in bad.text
    assert untranslated(bad.text, "nl") == []
    english = client.post("/marketplace/new", data=form, headers={"Accept-Language": "en"})
    assert 'id="err-title" role="alert">Give a title' in english.text
