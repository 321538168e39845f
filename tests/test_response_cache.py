"""The response cache and the data stamps it trusts: a write, from any engine, is seen by the very
next anonymous request; bookings keep the pages that do not show them; signed-in visitors and
visitors' own CSRF tokens are never kept; every kept route reads only tables of its scopes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from tests.test_routes import get_routes
from triplehelix import stamps
from triplehelix.accounts.service import create_token, create_user
from triplehelix.db import transaction
from triplehelix.directory.models import Facility, Organisation
from triplehelix.facilities.service import ResourceRules, add_resource
from triplehelix.resolution.service.ror_import import import_ror
from triplehelix.response_cache import ResponseCache

ROR_REGION = Path(__file__).parent / "data" / "ror" / "ror_leiden_region.jsonl"


def _cache(client: TestClient) -> ResponseCache:
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def _current(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return stamps.read(connection)


def test_statements_name_the_scopes_they_write() -> None:
    assert stamps.scopes_written("SELECT * FROM bookings") == frozenset()
    assert stamps.scopes_written("  insert into bookings (id) values (1)") == {"bookings"}
    assert stamps.scopes_written('UPDATE "organisations" SET name = 1') == {"directory"}
    assert stamps.scopes_written("DELETE FROM th_x.waitlist_entries") == {"bookings"}
    assert stamps.scopes_written("UPDATE api_tokens SET last_used_at = 1") == frozenset()
    assert stamps.scopes_written("INSERT OR REPLACE INTO services VALUES (1)") == {"directory"}
    every = set(stamps.SCOPES)
    assert stamps.scopes_written("CREATE TABLE x (id int)") == every
    assert stamps.scopes_written("WITH gone AS (SELECT 1) DELETE FROM bookings") == every
    assert stamps.scopes_written("DELETE FROM data_stamps") == every


def test_a_commit_stamps_what_it_wrote_and_a_rollback_nothing(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
    first = _current(engine)
    with transaction(engine) as session:
        session.execute(text("DELETE FROM bookings WHERE id = -1"))
    second = _current(engine)
    assert second["directory"] == first["directory"]
    assert second["bookings"] != first.get("bookings")
    connection = engine.connect()
    connection.execute(text("UPDATE organisations SET name = 'Other' WHERE id = 'acme'"))
    connection.rollback()
    connection.close()
    assert _current(engine) == second
    with engine.begin() as connection:
        stamps.touch(connection, "organisations")  # a COPY the statement hook cannot see
    assert _current(engine)["directory"] != second["directory"]


def test_a_write_is_seen_by_the_very_next_anonymous_request(
    engine: Engine, client: TestClient
) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme Labs", kind="company"))
    cache = _cache(client)
    paths = [
        "/organisations/acme",
        "/api/organisations/acme",
        "/organisations",
        "/api/organisations",
    ]
    for path in paths:
        assert "Acme Labs" in client.get(path).text
    hits = cache.hits
    for path in paths:
        assert "Acme Labs" in client.get(path).text
    assert cache.hits == hits + len(paths)  # kept
    with transaction(engine) as session:  # another engine, as another worker or the CLI
        org = session.get(Organisation, "acme")
        assert org is not None
        org.name = "Acme Therapeutics"
    for path in paths:
        reply = client.get(path)
        assert "Acme Therapeutics" in reply.text and "Acme Labs" not in reply.text, path
    with transaction(engine) as session:
        session.execute(text("DELETE FROM organisations WHERE id = 'acme'"))
    assert client.get("/organisations/acme").status_code == 404
    assert client.get("/api/organisations/acme").status_code == 404


def test_bookings_keep_the_pages_that_do_not_show_them(engine: Engine, client: TestClient) -> None:
    """A booking through the API (with its audit record and messages) keeps the directory's
    entries; only the bookings stamp changes."""
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme Labs", kind="company"))
        session.add(Facility(id="acme-lab", name="Acme lab", owner_id="acme", kind="cleanroom"))
        session.flush()
        rules = ResourceRules(min_minutes=30, max_minutes=60, horizon_days=730)
        resource = add_resource(session, None, "acme-lab", "Bay", rules).id
        token = create_token(session, create_user(session, "b@example.org", "bench password 1"))
    cache = _cache(client)
    client.get("/organisations")
    before, hits = _current(engine), cache.hits
    start = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    body = {"resource_id": resource, "start": start.isoformat(),
            "end": (start + timedelta(minutes=30)).isoformat()}  # fmt: skip
    made = client.post("/api/bookings", json=body, headers={"Authorization": f"Bearer {token}"})
    assert made.status_code == 201, made.text
    after = _current(engine)
    assert after["directory"] == before["directory"] and after["bookings"] != before.get("bookings")
    client.get("/organisations")
    assert cache.hits == hits + 1


def test_signed_in_visitors_and_tokens_are_never_kept(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        session.add(Organisation(id="acme", name="Acme Labs", kind="company"))
    cache = _cache(client)
    fills, hits = cache.fills, cache.hits
    client.get("/organisations", headers={"Authorization": "Bearer nothing"})
    client.cookies.set("th_session", "not-a-session")
    client.get("/organisations")
    client.get("/organisations")
    client.cookies.clear()
    client.cookies.set("flash", "Saved")
    client.get("/organisations")
    assert (cache.fills, cache.hits) == (fills, hits)


def test_a_kept_page_hands_no_visitor_another_visitors_cookie(
    engine: Engine, client: TestClient
) -> None:
    cache = _cache(client)
    for _ in range(3):
        client.cookies.clear()
        reply = client.get("/marketplace")  # shows no form: it mints no CSRF token
        assert reply.status_code == 200 and "set-cookie" not in reply.headers
    assert cache.hits >= 2


def test_a_page_showing_the_visitors_token_is_not_kept() -> None:
    cache = ResponseCache(app=None, fresh_cookies=lambda scope: [])  # type: ignore[arg-type]

    def endpoint() -> None: ...

    endpoint.cache_scopes = ("directory",)  # type: ignore[attr-defined]
    scope = {"endpoint": endpoint, "state": {"csrf_read": True, "new_csrf": "tok.sig"},
             "headers": []}  # fmt: skip
    start = {"status": 200, "headers": [(b"set-cookie", b"th_csrf=tok.sig; HttpOnly")]}
    assert cache._entry(scope, start, b'<input value="tok.sig">', {}) is None
    kept = cache._entry(scope, start, b"<p>no form</p>", {"directory": 7})
    assert kept is not None and kept.headers == [] and kept.mints_csrf
    assert kept.stamps == (("directory", 7),)
    other = {"status": 200, "headers": [(b"set-cookie", b"flash=; Max-Age=0")]}
    assert cache._entry(scope, other, b"<p>no form</p>", {}) is None
    assert cache._entry({**scope, "endpoint": None}, start, b"<p>no form</p>", {}) is None


TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def test_every_kept_route_reads_only_tables_of_its_scopes(leiden_client: TestClient) -> None:
    """What a kept route reads, anonymously, on the Leiden data: no sign-in bookkeeping, and
    bookings only where the route says it shows them."""
    app: Any = leiden_client.app
    with transaction(app.state.engine) as session:
        values = {
            "organisation_id": session.scalars(select(Organisation.id).limit(1)).one(),
            "facility_id": session.scalars(select(Facility.id).limit(1)).one(),
        }
    read: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        read.extend(t.lower() for t in TABLE.findall(statement))

    routes = [
        (path, route)
        for path, route in get_routes(app)
        if isinstance(route, APIRoute) and hasattr(route.endpoint, "cache_scopes")
    ]
    assert len(routes) >= 20
    event.listen(app.state.engine, "before_cursor_execute", note)
    try:
        for declared, route in routes:
            read.clear()
            path = declared.format(**values) + "?probe=tables"  # a key no other test filled
            assert leiden_client.get(path).status_code == 200, path
            assert read, path  # computed, not kept
            scopes = set(getattr(route.endpoint, "cache_scopes", ()))
            for table in set(read) - {stamps.TABLE}:
                scope = stamps.TABLE_SCOPES.get(table, "directory")
                assert scope in scopes, (declared, table, scope)
    finally:
        event.remove(app.state.engine, "before_cursor_execute", note)


def test_an_import_is_seen_by_the_next_request(engine: Engine, client: TestClient) -> None:
    """The ROR import writes with COPY on PostgreSQL, past the statement hook: it stamps too."""
    assert client.get("/api/organisations").json()["total"] == 0
    assert client.get("/api/organisations").json()["total"] == 0  # kept
    with transaction(engine) as session:
        summary = import_ror(session, ROR_REGION)
    assert summary.new > 0
    assert client.get("/api/organisations").json()["total"] == summary.new


def test_only_marked_routes_read_stamps_or_wait(engine: Engine, client: TestClient) -> None:
    cache = _cache(client)
    client.get("/healthz")

    def scope(path: str) -> dict[str, Any]:
        return {"app": client.app, "path": path, "root_path": ""}

    assert cache._marked(scope("/organisations/acme")) and cache._marked(scope("/api/events"))
    assert not cache._marked(scope("/healthz")) and not cache._marked(scope("/api/match"))
    assert not cache._marked(scope("/resources/1"))


def test_a_kept_answer_takes_no_connection_from_the_request_pool(
    engine: Engine, client: TestClient
) -> None:
    """The stamps are read on the cache's own connection: under load the request threads' pool
    can be empty, and waiting for it on the event loop would stop every request."""
    cache = _cache(client)
    assert client.get("/organisations").status_code == 200
    taken: list[object] = []

    def note(*_: object) -> None:
        taken.append(1)

    pool = client.app.state.engine.pool  # type: ignore[attr-defined]
    event.listen(pool, "checkout", note)
    try:
        hits = cache.hits
        assert client.get("/organisations").status_code == 200
        assert cache.hits == hits + 1 and taken == []
    finally:
        event.remove(pool, "checkout", note)
