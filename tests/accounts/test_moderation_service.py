"""Moderated directory edits on both databases: per field kind the region office chooses publish
or review; published edits are sourced and dated; queued ones wait and publish on approval;
claims and new organisations go to the queue; non-admins cannot decide or set the policy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.accounts.test_account_pages import _people, csrf, sign_in
from tests.facilities.factories import make_facility, make_user
from triplehelix.accounts import service
from triplehelix.accounts.service import moderation
from triplehelix.accounts.service.membership import member_organisation
from triplehelix.accounts.service.permissions import edits_organisation
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation
from triplehelix.errors import ConflictError, PermissionDeniedError, ValidationError


def test_policy_decides_publish_or_review(session: Session) -> None:
    make_facility(session)
    editor = make_user(session, "e@example.org", "editor", "acme")
    admin = make_user(session, "a@example.org", "admin")
    with pytest.raises(PermissionDeniedError):
        moderation.set_mode(session, editor, "website", "review")
    moderation.set_mode(session, admin, "website", "review")
    published, waiting = moderation.propose_edits(
        session, editor, "acme",
        {"summary": "Cleanrooms.", "website": "https://https.acme.example/", "city": "Leiden"},
        "https://news.example/acme",
    )  # fmt: skip
    assert sorted(published) == ["city", "summary"] and waiting == ["website"]
    org = session.get(Organisation, "acme")
    assert org is not None and org.summary == "Cleanrooms." and org.website is None
    assert "https://news.example/acme" in [s.url for s in org.sources]
    [change] = moderation.pending(session)
    assert change.value == "https.acme.example"
    with pytest.raises(PermissionDeniedError):
        moderation.decide_change(session, editor, change.id, True)
    moderation.decide_change(session, admin, change.id, True)
    assert org.website == "https.acme.example"
    with pytest.raises(ConflictError):
        moderation.decide_change(session, admin, change.id, True)
    with pytest.raises(ValidationError, match="source"):
        moderation.propose_edits(session, editor, "acme", {"summary": "x"}, "javascript:alert(1)")


def test_claims_and_new_organisations_wait_for_review(session: Session) -> None:
    make_facility(session)
    admin = make_user(session, "a@example.org", "admin")
    person = make_user(session, "p@example.org")
    claim = moderation.claim_organisation(session, person, "acme", "I run the lab")
    added = moderation.propose_organisation(session, person, "Nova Labs", "company", "Leiden",
                                            "https://nova.example/", "https://nova.example/about")  # fmt: skip
    with pytest.raises(ValidationError, match="kind"):
        moderation.propose_organisation(session, person, "X", "castle", "", "", "")
    assert session.get(Organisation, "nova-labs") is None
    moderation.decide_change(session, admin, claim.id, True)
    moderation.decide_change(session, admin, added.id, True)
    assert edits_organisation(person, "acme") and member_organisation(person) == "acme"
    nova = session.get(Organisation, "nova-labs")
    assert nova is not None and nova.website == "nova.example" and nova.city == "Leiden"


def test_moderation_pages(engine: Engine, client: TestClient) -> None:
    _people(engine)
    sign_in(client, "m@example.org")
    token = csrf(client, "/account")
    assert client.get("/admin/moderation").status_code == 403
    assert client.post("/admin/moderation/policy", data={"field": "summary", "mode": "review",
                       "csrf_token": token}).status_code == 403  # fmt: skip
    sent = client.post("/account/claim/acme", data={"note": "lab lead", "csrf_token": token})
    assert sent.status_code == 200 and "reviews your claim" in sent.text
    client.cookies.clear()
    sign_in(client, "a@example.org")
    token = csrf(client, "/admin/moderation")
    client.post("/admin/moderation/policy", data={"field": "summary", "mode": "review",
                                                  "csrf_token": token})  # fmt: skip
    assert "claim" in client.get("/admin/moderation").text
    client.cookies.clear()
    sign_in(client, "e@example.org")
    saved = client.post("/account/organisations/acme", data={
        "summary": "Reviewed text", "website": "https://acme.example/", "services": "",
        "city": "", "address": "", "source": "", "csrf_token": csrf(client, "/account")})  # fmt: skip
    assert "Waiting for the region office: Description." in saved.text
    assert "Published now: Website" in saved.text
    with transaction(engine) as session:
        org = session.get(Organisation, "acme")
        assert org is not None and org.website == "acme.example" and org.summary != "Reviewed text"
        assert len(moderation.pending(session)) == 2
        assert service.get_user(session, "e@example.org")
