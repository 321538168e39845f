"""Sign-in protection on both databases: a burst of concurrent wrong passwords checks at most the
free budget, the owner still signs in from another address during the attack, sign-ups are
limited per address, weak passwords are refused, and X-Forwarded-For counts only from a trusted
proxy."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from starlette.requests import Request

from tests.accounts.test_account_pages import csrf
from triplehelix.accounts import service
from triplehelix.accounts.models import LoginAttempt
from triplehelix.accounts.service.passwords import check_password
from triplehelix.config import Settings
from triplehelix.db import session_factory, transaction, utcnow
from triplehelix.errors import DomainError, PermissionDeniedError, ValidationError
from triplehelix.web import client_ip, local_target

PASSWORD = "correct horse battery"


def _attempt(engine: Engine, password: str, ip: str, now: object) -> str:
    with session_factory(engine)() as session:
        try:
            service.authenticate(session, "owner@example.org", password, ip, now)  # type: ignore[arg-type]
            return "ok"
        except service.RateLimitedError:
            return "limited"
        except PermissionDeniedError:
            return "wrong"
        finally:
            session.commit()


def test_concurrent_guesses_check_at_most_the_budget(engine: Engine) -> None:
    with transaction(engine) as session:
        service.create_user(session, "owner@example.org", PASSWORD)
    now = utcnow()
    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(lambda _: _attempt(engine, "guess", "6.6.6.6", now), range(24)))
    with session_factory(engine)() as session:
        checked = session.scalar(select(func.count()).select_from(LoginAttempt))
    assert checked == service.PER_PAIR.free == outcomes.count("wrong")
    assert outcomes.count("limited") == 24 - service.PER_PAIR.free
    # the owner, elsewhere, is not locked out by the attack
    assert _attempt(engine, PASSWORD, "10.0.0.7", now) == "ok"
    # the attacker waits twice as long with every further guess
    later = now + timedelta(seconds=service.PER_PAIR.base_seconds)
    assert _attempt(engine, "guess", "6.6.6.6", later) == "wrong"
    assert _attempt(engine, "guess", "6.6.6.6", later) == "limited"
    twice = later + timedelta(seconds=2 * service.PER_PAIR.base_seconds)
    assert _attempt(engine, "guess", "6.6.6.6", twice) == "wrong"


def test_sign_up_is_limited_per_address(engine: Engine, client: TestClient) -> None:
    for i in range(service.SIGNUPS.free):
        client.cookies.clear()
        made = client.post(
            "/signup",
            data={"email": f"p{i}@example.org", "password": PASSWORD,
                  "csrf_token": csrf(client, "/signup")},
        )  # fmt: skip
        assert made.status_code == 200 and "Check your e-mail" in made.text
    client.cookies.clear()
    refused = client.post(
        "/signup",
        data={"email": "one-more@example.org", "password": PASSWORD,
              "csrf_token": csrf(client, "/signup")},
    )  # fmt: skip
    assert refused.status_code == 429 and "try again in" in refused.text


@pytest.mark.parametrize(
    "password", ["          ", "aaaaaaaaaa", "password12", "qwertyuiop", "alice@example.org1"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="password"):
        check_password(password, "alice@example.org", "Alice")


def test_strong_password_passes() -> None:
    check_password(PASSWORD, "alice@example.org")
    check_password(service.DEMO_PASSWORD)


def _request(peer: str, forwarded: str, trusted: tuple[str, ...]) -> Request:
    class _App:
        class state:
            settings = Settings(data_dir=None, database_url="", load_bundled=False,  # type: ignore[arg-type]
                                trusted_proxies=trusted)  # fmt: skip

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {"type": "http", "client": (peer, 1), "headers": headers, "app": _App()}
    return Request(scope)


def test_forwarded_address_counts_only_from_a_trusted_proxy() -> None:
    assert client_ip(_request("127.0.0.1", "9.9.9.9", ())) == "127.0.0.1"
    assert client_ip(_request("10.0.0.1", "9.9.9.9", ("10.0.0.1",))) == "9.9.9.9"
    # a client cannot hide behind a forged left-most entry
    assert client_ip(_request("10.0.0.1", "1.1.1.1, 9.9.9.9", ("10.0.0.1",))) == "9.9.9.9"
    assert client_ip(_request("8.8.8.8", "9.9.9.9", ("10.0.0.1",))) == "8.8.8.8"


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https://evil.example/", "evil", "/a\nb", ""]
)
def test_redirects_stay_on_the_site(target: str) -> None:
    assert local_target(target, "/bookings") == "/bookings"


def test_local_paths_are_kept() -> None:
    assert local_target("/bookings?week=2", "/") == "/bookings?week=2"


def test_domain_error_is_the_base() -> None:
    assert issubclass(service.RateLimitedError, DomainError)
