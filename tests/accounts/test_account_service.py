"""Account services on both databases: users, roles, rate-limited sign-in, tokens and sessions
stored only as hashes, and organisation profile edits that become sourced, audited facts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts import service
from triplehelix.accounts.models import ApiToken, AuditEntry, User, UserSession
from triplehelix.accounts.service.moderation import edit_profile
from triplehelix.accounts.service.permissions import edits_organisation, manages_facility
from triplehelix.directory.models import Facility, Organisation
from triplehelix.directory.service.profile import EDIT_LABEL
from triplehelix.errors import ConflictError, PermissionDeniedError, ValidationError

PASSWORD = "correct horse battery"


@pytest.fixture
def org(session: Session) -> Organisation:
    org = Organisation(id="acme", name="Acme", kind="company", summary="old")
    session.add(org)
    session.add(Facility(id="acme-lab", name="Acme lab", owner_id="acme", kind="cleanroom"))
    session.flush()
    return org


def test_create_user_validates(session: Session) -> None:
    user = service.create_user(session, " Alice@Example.org ", PASSWORD)
    assert user.email == "alice@example.org" and user.password_hash.startswith("$argon2")
    with pytest.raises(ConflictError, match="already exists"):
        service.create_user(session, "alice@example.org", PASSWORD)
    with pytest.raises(ValidationError, match="email"):
        service.create_user(session, "not-an-email", PASSWORD)
    with pytest.raises(ValidationError, match="password"):
        service.create_user(session, "b@example.org", "short")
    with pytest.raises(ValidationError, match="organisation"):
        service.create_user(session, "c@example.org", PASSWORD, organisation_id="nowhere")


def test_roles_and_scopes(session: Session, org: Organisation) -> None:
    editor = service.create_user(session, "e@example.org", PASSWORD)
    manager = service.create_user(session, "m@example.org", PASSWORD)
    admin = service.create_user(session, "a@example.org", PASSWORD)
    member = service.create_user(session, "x@example.org", PASSWORD)
    service.grant_role(session, None, editor, "editor", "acme")
    service.grant_role(session, None, manager, "manager", "acme-lab")
    service.grant_role(session, None, admin, "admin")
    assert edits_organisation(editor, "acme") and not edits_organisation(editor, "other")
    assert manages_facility(manager, "acme-lab") and not manages_facility(manager, "other")
    assert not manages_facility(editor, "acme-lab") and not edits_organisation(manager, "acme")
    assert manages_facility(admin, "anything") and edits_organisation(admin, "anything")
    assert not manages_facility(member, "acme-lab") and not edits_organisation(member, "acme")
    with pytest.raises(ValidationError, match="role"):
        service.grant_role(session, None, member, "king")
    with pytest.raises(ValidationError, match="facility"):
        service.grant_role(session, None, member, "manager", "nowhere")


def test_sign_in_is_rate_limited(session: Session) -> None:
    service.create_user(session, "alice@example.org", PASSWORD)
    session.commit()  # the throttle writes on its own connection
    assert (
        service.authenticate(session, "alice@example.org", PASSWORD, "1.2.3.4").email
        == "alice@example.org"
    )
    session.commit()
    for _ in range(service.PER_PAIR.free):
        with pytest.raises(PermissionDeniedError, match="wrong email or password"):
            service.authenticate(session, "alice@example.org", "wrong", "1.2.3.4")
        session.commit()
    with pytest.raises(service.RateLimitedError):
        service.authenticate(session, "alice@example.org", PASSWORD, "1.2.3.4")
    # another address is not held back by the failures at the first one
    assert service.authenticate(session, "alice@example.org", PASSWORD, "5.6.7.8")
    with pytest.raises(PermissionDeniedError, match="wrong"):
        service.authenticate(session, "nobody@example.org", "x", "9.9.9.9")


def test_tokens_and_sessions_are_stored_as_hashes(session: Session) -> None:
    user = service.create_user(session, "alice@example.org", PASSWORD)
    token = service.create_token(session, user, "lab")
    key = service.start_session(session, user)
    session.flush()
    stored = list(session.scalars(select(ApiToken.token_hash))) + list(
        session.scalars(select(UserSession.key_hash))
    )
    assert token not in stored and key not in stored
    assert service.user_for_token(session, token) is user
    assert service.user_for_token(session, token + "x") is None
    assert service.user_for_session(session, key) is user
    service.end_session(session, key)
    assert service.user_for_session(session, key) is None


def test_profile_edit_is_sourced_and_audited(session: Session, org: Organisation) -> None:
    editor = service.create_user(session, "e@example.org", PASSWORD)
    stranger = service.create_user(session, "s@example.org", PASSWORD)
    service.grant_role(session, None, editor, "editor", "acme")
    with pytest.raises(PermissionDeniedError, match="only an editor of organisation 'acme'"):
        edit_profile(session, stranger, "acme", "hijacked", "", [])
    with pytest.raises(ValidationError, match="website"):
        edit_profile(session, editor, "acme", "new", "ftp://acme.example", [])
    with pytest.raises(ValidationError, match="website"):
        edit_profile(session, editor, "acme", "new", "not a site", [])
    edit_profile(
        session,
        editor,
        "acme",
        "We make widgets.",
        "https://acme.example",
        ["aseptic fill-finish", " "],
        today=date(2026, 11, 21),
    )
    session.flush()
    assert [s.text for s in org.services] == ["aseptic fill-finish"]
    assert "aseptic fill-finish" in org.search_text and "widgets" in org.search_text
    assert [(s.label, s.accessed) for s in org.sources] == [(EDIT_LABEL, date(2026, 11, 21))]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "organisation")).one()
    assert entry.actor == "e@example.org" and entry.before == {
        "summary": "old",
        "website": None,
        "services": [],
    }
    assert entry.after is not None and entry.after["website"] == "acme.example"
    assert session.get(User, stranger.id) is not None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("https://x.example/", "x.example"), ("http://x.example/labs/", "x.example/labs"),
     ("x.example", "x.example"), ("HTTPS://x.example", "x.example"), ("", "")],
)  # fmt: skip
def test_website_schemes_are_normalised(typed: str, stored: str) -> None:
    from triplehelix.directory.service.profile import normalise_website

    assert normalise_website(typed) == stored
