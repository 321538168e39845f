"""Verified affiliation on both databases: a self-declared organisation unlocks nothing, an
editor or admin decides requests (others are refused), and a withdrawn membership leaves the
history of past bookings as it was."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.accounts.test_account_pages import csrf, sign_in
from tests.facilities.factories import PASSWORD, make_facility, make_resource, make_user, slot
from triplehelix.accounts.models import AffiliationRequest, User
from triplehelix.accounts.service import affiliation
from triplehelix.accounts.service.membership import member_organisation
from triplehelix.db import transaction
from triplehelix.directory.models import Identifier, Organisation
from triplehelix.errors import PermissionDeniedError
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.service import booking


def _members_only(engine: Engine) -> int:
    with transaction(engine) as session:
        make_facility(session)
        make_user(session, "admin@example.org", "admin")
        resource = make_resource(
            session, name="Bay 2", access="organisations", access_organisations=["acme"]
        )
        return resource.id


def _book(client: TestClient, token: str, resource_id: int) -> tuple[int, str]:
    start, end = slot()
    body = {"resource_id": resource_id, "start": start.isoformat(), "end": end.isoformat()}
    reply = client.post("/api/bookings", json=body, headers={"Authorization": f"Bearer {token}"})
    return reply.status_code, reply.text


def test_self_declared_organisation_books_nothing(engine: Engine, client: TestClient) -> None:
    resource_id = _members_only(engine)
    form = {"email": "mallory@example.org", "password": PASSWORD, "organisation": "acme"}
    made = client.post("/signup", data={**form, "csrf_token": csrf(client, "/signup")})
    assert made.status_code == 200 and "Check your e-mail" in made.text
    sign_in(client, "mallory@example.org")
    account = client.get("/account").text
    assert "Waiting for a decision" in account and "Not affiliated" in account
    page = client.post(
        "/account/tokens", data={"name": "t", "csrf_token": csrf(client, "/account")}
    )
    token = page.text.split('id="new-token">', 1)[1].split("<", 1)[0]
    status, text = _book(client, token, resource_id)
    assert status == 403 and "only members of acme" in text
    with transaction(engine) as session:
        user = session.scalars(select(User).filter_by(email="mallory@example.org")).one()
        assert user.organisation_id is None and member_organisation(user) is None
        admin = session.scalars(select(User).filter_by(email="admin@example.org")).one()
        request = affiliation.pending_of(session, user)
        assert request is not None and request.organisation_id == "acme"
        affiliation.decide_affiliation(session, admin, request.id, approve=True)
    assert _book(client, token, resource_id)[0] == 201
    assert "Your affiliation with Acme was approved" in client.get("/inbox").text


def test_only_editors_and_admins_decide(session: Session) -> None:
    make_facility(session)
    session.add(Organisation(id="other", name="Other", kind="company"))
    applicant = make_user(session, "a@example.org")
    editor = make_user(session, "e@example.org", "editor", "acme")
    outsider = make_user(session, "o@example.org", "editor", "other")
    request = affiliation.request_affiliation(session, applicant, "acme")
    assert affiliation.pending_for(session, editor) == [request]
    assert affiliation.pending_for(session, outsider) == []
    with pytest.raises(PermissionDeniedError, match="editor of 'acme'"):
        affiliation.decide_affiliation(session, outsider, request.id, approve=True)
    with pytest.raises(PermissionDeniedError):
        affiliation.decide_affiliation(session, applicant, request.id, approve=True)
    affiliation.decide_affiliation(session, editor, request.id, approve=False)
    assert member_organisation(applicant) is None
    assert session.get(AffiliationRequest, request.id).status == "rejected"  # type: ignore[union-attr]


def test_history_survives_a_withdrawn_membership(session: Session) -> None:
    make_facility(session)
    make_resource(session, name="Bay 2", access="organisations", access_organisations=["acme"])
    member = make_user(session, "m@example.org", organisation_id="acme")
    assert member.affiliation_via == "admin" and member_organisation(member) == "acme"
    resource = session.scalars(select(Resource)).one()
    made = booking.request_booking(session, member, resource.id, *slot())
    affiliation.set_affiliation(session, None, member, None, "admin")
    assert member_organisation(member) is None
    with pytest.raises(PermissionDeniedError):
        booking.request_booking(session, member, resource.id, *slot(72))
    assert session.get(Booking, made.id).organisation_id == "acme"  # type: ignore[union-attr]


def test_email_domains_come_from_website_and_identifiers(session: Session) -> None:
    org = Organisation(id="lumc", name="LUMC", kind="hospital", website="https://www.lumc.nl/")
    org.identifiers.append(Identifier(scheme="domain", value="lumc.example"))
    session.add(org)
    session.flush()
    assert affiliation.email_domains(session, org) == {"lumc.nl", "lumc.example"}
    assert affiliation.email_matches(session, org, "a@lumc.nl")
    assert affiliation.email_matches(session, org, "a@research.lumc.nl")
    assert not affiliation.email_matches(session, org, "a@notlumc.nl")
