"""Account, admin, inbox, outbox and review pages in Dutch for signed-in people, on both
databases: no English message of the catalogue shows, dates are local and Dutch, roles and
states are named in Dutch; what people typed and stored codes in links stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.accounts.test_account_pages import _people, sign_in
from tests.i18n.catalogue import untranslated
from triplehelix.accounts import service
from triplehelix.accounts.service import affiliation, inbox, moderation
from triplehelix.db import transaction
from triplehelix.mail import Mail, send_mail

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}


@pytest.fixture
def people(engine: Engine) -> dict[str, int]:
    """Member, editor, manager and admin of Acme, with something on every admin page."""
    _people(engine)
    with transaction(engine) as session:
        member = service.get_user(session, "m@example.org")
        editor = service.get_user(session, "e@example.org")
        affiliation.request_affiliation(session, member, "acme")
        later = datetime.now(UTC) + timedelta(days=200)
        service.grant_qualification(session, None, member, "iso7", later)
        service.create_token(session, member, "lab scheduler")
        inbox.notify(session, {member.id}, "Welkom", "Een bericht", "/bookings")
        moderation.set_mode(session, service.get_user(session, "a@example.org"), "city", "review")
        moderation.propose_edits(session, editor, "acme", {"city": "Leiden"})
        moderation.claim_organisation(session, member, "acme", "lab lead")
        return {"m": member.id}


def dutch_page(client: TestClient, path: str) -> str:
    """The page asked for in Dutch: it answers, says lang="nl", and shows no English message."""
    reply = client.get(path, headers=DUTCH)
    assert reply.status_code == 200, (path, reply.text[:500])
    assert '<html lang="nl">' in reply.text
    assert untranslated(reply.text, "nl") == [], path
    return reply.text


def test_a_member_reads_the_account_pages_indutch_page(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "m@example.org")
    account = dutch_page(client, "/account")
    assert "Persoonlijke API-tokens" in account and "Uitloggen" in account
    assert "Rollen: lid." in account
    assert "Wacht op een besluit" in account
    assert "Berichten" in dutch_page(client, "/inbox")
    dutch_page(client, "/account/add-organisation")
    dutch_page(client, "/account/claim/acme")


def test_an_editor_edits_the_profile_indutch_page(
    client: TestClient, people: dict[str, int]
) -> None:
    sign_in(client, "e@example.org")
    profile = dutch_page(client, "/account/organisations/acme")
    assert "Het profiel van Acme bewerken" in profile and "(met controle)" in profile
    assert "Aanvragen voor lidmaatschap" in dutch_page(client, "/admin/affiliations")


def test_the_region_admin_works_indutch_page(client: TestClient, people: dict[str, int]) -> None:
    sign_in(client, "a@example.org")
    users = dutch_page(client, "/admin/users")
    assert "regiobeheerder" in users and "redacteur van acme" in users
    person = dutch_page(client, f"/admin/users/{people['m']}")
    assert "iso7 — tot " in person and "Intrekken" in person
    affiliations = dutch_page(client, "/admin/affiliations")
    assert "Goedkeuren" in affiliations and "Afwijzen" in affiliations
    review = dutch_page(client, "/admin/moderation")
    assert "eerst controleren" in review and "Publiceren" in review and "claim" in review
    assert "Auditlog" in dutch_page(client, "/admin/audit")
    assert "Geen paren die wachten." in dutch_page(client, "/admin/review")
    settings = client.app.state.settings  # type: ignore[attr-defined]
    send_mail(settings, Mail(to=("x@example.org",), subject="Kennismaking", body="Beste X"))
    outbox = dutch_page(client, "/admin/outbox")
    assert "bewaard, niet verstuurd" in outbox


def test_english_stays_the_default(client: TestClient, people: dict[str, int]) -> None:
    sign_in(client, "a@example.org")
    page = client.get("/admin/users").text
    assert '<html lang="en">' in page and "region admin" in page and "editor of acme" in page
