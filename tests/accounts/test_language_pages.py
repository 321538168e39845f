"""An account's language: stored on the user, refused when unknown, and put in the `lang` cookie
on sign-in (password and single sign-on) and on change, so the preference holds on every page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.accounts.oidc_provider import log_in_at_provider, oidc_issuer
from tests.accounts.test_account_pages import PASSWORD, csrf, sign_in
from tests.accounts.test_sso_pages import sso_client
from tests.i18n.catalogue import untranslated
from triplehelix.accounts import service
from triplehelix.accounts.pages.language import set_language
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation
from triplehelix.errors import ValidationError

__all__ = ["oidc_issuer", "sso_client"]  # the fixtures


def test_the_language_is_stored_and_an_unknown_one_refused(session: Session) -> None:
    user = service.create_user(session, "taal@example.org", PASSWORD)
    assert user.locale is None
    assert set_language(session, user, "nl") == "nl"
    session.commit()
    session.expire_all()
    assert service.get_user(session, "taal@example.org").locale == "nl"
    with pytest.raises(ValidationError, match="locale: must be one of en, nl, got 'xx'"):
        set_language(session, user, "xx")
    session.rollback()
    assert service.get_user(session, "taal@example.org").locale == "nl"
    assert set_language(session, user, "") is None  # back to the browser's language


def _person(engine: Engine, locale: str | None) -> None:
    with transaction(engine) as session:
        user = service.create_user(session, "ans@example.org", PASSWORD)
        user.locale = locale


def test_signing_in_sets_the_cookie_of_the_preference(engine: Engine, client: TestClient) -> None:
    _person(engine, "nl")
    assert sign_in(client, "ans@example.org") == 303
    assert client.cookies.get("lang") == "nl"
    page = client.get("/organisations", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text and ">Organisaties<" in page.text


def test_without_a_preference_signing_in_keeps_the_visitors_choice(
    engine: Engine, client: TestClient
) -> None:
    _person(engine, None)
    client.get("/?lang=nl")
    assert sign_in(client, "ans@example.org") == 303
    assert client.cookies.get("lang") == "nl"


def test_changing_the_language_on_the_account_page(engine: Engine, client: TestClient) -> None:
    _person(engine, None)
    assert sign_in(client, "ans@example.org") == 303
    account = client.get("/account", headers={"Accept-Language": "en"}).text
    assert 'action="/account/language"' in account and "the browser's language" in account
    token = csrf(client, "/account")
    changed = client.post(
        "/account/language", data={"locale": "nl", "csrf_token": token}, follow_redirects=False
    )
    assert changed.status_code == 303 and client.cookies.get("lang") == "nl"
    dutch = client.get("/account", headers={"Accept-Language": "en"}).text
    assert '<html lang="nl">' in dutch
    block = dutch[
        dutch.index('<h2 id="language">') : dutch.index(
            "</form>", dutch.index('<h2 id="language">')
        )
    ]
    assert "Taal" in block and "Taal opslaan" in block and untranslated(block, "nl") == []
    assert '<option value="nl" lang="nl" selected>' in block
    with transaction(engine) as session:
        assert service.get_user(session, "ans@example.org").locale == "nl"

    back = client.post(
        "/account/language", data={"locale": "", "csrf_token": token}, follow_redirects=False
    )
    assert back.status_code == 303 and "lang" not in client.cookies
    assert '<html lang="en">' in client.get("/account", headers={"Accept-Language": "en"}).text


def test_a_bad_language_is_refused_and_nothing_changes(engine: Engine, client: TestClient) -> None:
    _person(engine, "en")
    assert sign_in(client, "ans@example.org") == 303
    token = csrf(client, "/account")
    bad = client.post("/account/language", data={"locale": "klingon", "csrf_token": token})
    assert bad.status_code == 422 and "locale" in bad.text
    assert 'id="err-locale"' in bad.text and "Your account" in bad.text  # beside the field
    forged = client.post("/account/language", data={"locale": "nl"})  # no CSRF token
    assert forged.status_code == 403
    with transaction(engine) as session:
        assert service.get_user(session, "ans@example.org").locale == "en"


def test_single_sign_on_sets_the_cookie_of_the_preference(
    engine: Engine, sso_client: TestClient
) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
    start = sso_client.get("/signin/sso", follow_redirects=False)
    back = log_in_at_provider(start.headers["location"], "ann")
    assert (
        sso_client.get(back.removeprefix("http://testserver"), follow_redirects=False).status_code
        == 303
    )
    assert "lang" not in sso_client.cookies  # no preference yet: the browser's language
    with transaction(engine) as session:
        service.get_user(session, "ann@acme.example").locale = "nl"
    sso_client.cookies.clear()
    start = sso_client.get("/signin/sso", follow_redirects=False)
    back = log_in_at_provider(start.headers["location"], "ann")
    assert (
        sso_client.get(back.removeprefix("http://testserver"), follow_redirects=False).status_code
        == 303
    )
    assert sso_client.cookies.get("lang") == "nl"
    assert '<html lang="nl">' in sso_client.get("/account").text
