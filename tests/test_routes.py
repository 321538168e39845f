"""Every GET route, generically, on the Leiden data and on both databases: each page renders
(anonymously, signed in, and with the role it needs when it needs one), each API route answers
what its declared response model says, each download comes with its media type.

The routes are read from the app, not listed here: a new route is covered without editing this
file, or `test_every_get_route_is_covered_or_listed` fails and names it (a page that needs sign-in
goes in SIGNED_IN with the account that may see it; a path parameter nobody can fill goes in
VALUES of `site`; a route no generic request can answer goes in UNCHECKED with the reason and
the test that covers it instead).

What is checked here is that each route answers at all, with the right kind of body; what each
answers is for the feature's own tests. schemathesis (tests/sweep) fuzzes the API's parameters;
this suite sends one plain request per route with real values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import jsonschema_rs
import pytest
from fastapi import FastAPI, routing
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from tests.accounts.test_account_pages import sign_in
from tests.conftest import BACKENDS, drop_database, new_database_url
from triplehelix.accounts.models import User
from triplehelix.accounts.service import DEMO_PASSWORD, create_token, grant_role
from triplehelix.accounts.service.access import calendar_key
from triplehelix.app import create_app
from triplehelix.config import Settings
from triplehelix.db import make_engine, transaction
from triplehelix.facilities.models import Resource
from triplehelix.facilities.service import demo
from triplehelix.facilities.service.booking import next_free_slot, request_booking
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.mail.service.outbox import outbox
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.service.demo import POSTS, seed_demo_posts
from triplehelix.marketplace.service.interests import accept_interest, deliver, express_interest
from triplehelix.migrations import upgrade_database
from triplehelix.region.service import list_municipalities

# The accounts the suite signs in with (the demo accounts `make run` makes, on the Leiden data).
ACCOUNTS = {
    "member": demo.MEMBER,  # signed in, no organisation
    "poster": POSTS[0][1],  # a member and editor of a company that has published posts
    "manager": demo.MANAGER,  # manages every shared facility
    "admin": demo.ADMIN,  # the region office
}
INTERESTED = POSTS[1][1]  # a member of another cluster's company, introduced to the poster

# Pages only a signed-in person sees (anonymous: 303 to /signin?next=...), and whom to show them.
SIGNED_IN = {
    "/account": "member",
    "/account/add-organisation": "member",
    "/account/claim/{organisation_id}": "member",
    "/bookings": "member",
    "/inbox": "member",
    "/marketplace/alerts": "member",
    "/marketplace/new": "poster",  # posting needs an organisation to act for
    "/marketplace/mine": "poster",
    "/marketplace/inbox": "poster",
    "/marketplace/{post_id}/edit": "poster",  # only the poster's organisation edits a post
    "/account/organisations/{organisation_id}": "poster",  # the organisation's editor
    "/admin/affiliations": "poster",  # an editor sees their organisation's requests
    "/bookings/manage": "manager",
    "/bookings/{booking_id}/cancel": "manager",  # the booker or the facility's manager
    "/utilisation": "manager",
    "/utilisation.csv": "manager",
    "/admin/audit": "admin",
    "/admin/moderation": "admin",
    "/admin/outbox": "admin",
    "/admin/outbox/{name}": "admin",
    "/admin/posts": "admin",
    "/admin/review": "admin",
    "/admin/users": "admin",
    "/admin/users/{user_id}": "admin",
}
# API routes that need a personal API token (anonymous: 401), and whose token to send.
TOKEN = {"/api/bookings": "manager", "/api/introductions": "poster"}

# GET routes no generic request can answer, each with the reason and what tests it instead.
UNCHECKED = {
    # starts single sign-on at the configured OpenID provider; none is configured here
    "/signin/sso": "tests/accounts/test_sso_pages.py against a real OpenID provider",
    # the provider's redirect back carries a one-time code and state only a real sign-in makes
    "/signin/sso/callback": "tests/accounts/test_sso_pages.py against a real OpenID provider",
    # declares no response model: 200 or 503 with Retry-After, depending on warm-up
    "/readyz": "tests/test_edge.py::test_readyz_waits_for_warming",
}
# Downloads: the media type each file suffix must come with.
MEDIA = {
    ".atom": "application/atom+xml",
    ".css": "text/css",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
# Path parameters that differ per route rather than per name.
PER_ROUTE = {"/docs-assets/{name}": {"name": "swagger-ui.css"}}
PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


@dataclass
class Site:
    app: FastAPI
    clients: dict[str, TestClient]  # "anonymous" and each of ACCOUNTS, signed in
    tokens: dict[str, str]  # API tokens of the accounts in TOKEN
    values: dict[str, str]  # path and required query parameters, by name, from the data

    def url(self, path: str) -> str:
        """`path` with its parameters filled in from the data."""
        values = self.values | PER_ROUTE.get(path, {})

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            assert name in values, f"{path}: no value for {{{name}}}: add one in _populate"
            return quote(values[name], safe="")

        return PARAMETER.sub(fill, path)


def get_routes(app: FastAPI) -> list[tuple[str, BaseRoute]]:
    """(path as declared, route) of every GET route, inside included routers too."""
    found = []
    for context in routing.iter_route_contexts(app.routes):
        if context.path_format and "GET" in (context.methods or ()):
            found.append((context.path_format, context.original_route))
    return sorted(found, key=lambda pair: pair[0])


def is_page(route: BaseRoute) -> bool:
    kind = route.response_class if isinstance(route, APIRoute) else None
    return isinstance(kind, type) and issubclass(kind, HTMLResponse)


def api_paths(app: FastAPI) -> set[str]:
    return {p for p, ops in app.openapi()["paths"].items() if "get" in ops}


def is_api(app: FastAPI, path: str, route: BaseRoute) -> bool:
    declared = isinstance(route, APIRoute) and route.response_model is not None
    return declared and not is_page(route) and path in api_paths(app)


def media_of(site: Site, path: str) -> str | None:
    return MEDIA.get(Path(site.url(path)).suffix)


def _user(session: Session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def _populate(session: Session, settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """The Leiden data with the demo accounts, resources and posts, one booking, one accepted
    interest (an introduction, mailed to the outbox); (parameter values, API tokens)."""
    load_dataset(session, bundled_dataset_path())
    demo.seed_demo(session)
    seed_demo_posts(session)
    people = {who: _user(session, email) for who, email in ACCOUNTS.items()}
    poster, manager = people["poster"], people["manager"]
    assert poster.organisation_id is not None
    grant_role(session, None, poster, "editor", poster.organisation_id)
    posts = select(Post).where(Post.organisation_id == poster.organisation_id,
                               Post.state == "published")  # fmt: skip
    post = session.scalars(posts.order_by(Post.id)).first()
    assert post is not None
    interested = _user(session, INTERESTED)
    interest = express_interest(session, interested, post.id, "We have the chamber for this.")
    _interest, _intro, mails = accept_interest(session, poster, interest.id)
    resource = session.scalars(select(Resource).order_by(Resource.id)).first()
    assert resource is not None
    length = timedelta(minutes=max(resource.min_minutes, 60))
    slot = next_free_slot(session, resource, datetime.now(UTC), length)
    assert slot is not None
    booking = request_booking(session, manager, resource.id, *slot)
    municipality = next(m for m in list_municipalities(session) if m.organisations)
    session.flush()
    deliver(settings, mails)
    values = {
        "organisation_id": poster.organisation_id,
        "facility_id": resource.facility_id,
        "resource_id": str(resource.id),
        "booking_id": str(booking.id),
        "post_id": str(post.id),
        "user_id": str(people["member"].id),
        "code": municipality.code,
        "feed_key": calendar_key(settings, manager),
        "name": outbox(settings)[0].name,  # an outbox message (mail/pages.py)
        "q": "cleanroom",  # /api/match
        "from": slot[0].isoformat(),  # /api/facilities/{id}/availability
        "to": (slot[0] + timedelta(days=7)).isoformat(),
    }
    tokens = {k: create_token(session, people[k]) for k in set(TOKEN.values())}
    return values, tokens


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for both databases: the second reuses the first's embedding cache."""
    return tmp_path_factory.mktemp("routes")


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, folder: Path) -> Iterator[Site]:
    url, schema = new_database_url(request.config, request.param, folder)
    settings = Settings(data_dir=folder, database_url=url, load_bundled=False)
    engine = make_engine(url)
    upgrade_database(engine)
    with transaction(engine) as session:
        values, tokens = _populate(session, settings)
    engine.dispose()
    app = create_app(settings)
    with ExitStack() as stack:
        clients = {who: stack.enter_context(TestClient(app)) for who in ["anonymous", *ACCOUNTS]}
        for who, email in ACCOUNTS.items():
            assert sign_in(clients[who], email, DEMO_PASSWORD) == 303, who
        yield Site(app, clients, tokens, values)
    app.state.engine.dispose()
    drop_database(request.config, schema)


class Reply(Protocol):  # what _html reads of a TestClient response
    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def text(self) -> str: ...


def _html(reply: Reply) -> str:
    """'' for a rendered page, else what is wrong with it."""
    if reply.status_code != 200:
        return f"{reply.status_code}: {reply.text[:200]!r}"
    if not reply.headers.get("content-type", "").startswith("text/html"):
        return f"content-type {reply.headers.get('content-type')!r}"
    return "" if '<html lang="' in reply.text else "no <html lang=...>"


def _pages(site: Site) -> list[str]:
    return [p for p, route in get_routes(site.app) if is_page(route) and p not in UNCHECKED]


@pytest.mark.parametrize("viewer", ["anonymous", "poster"])
def test_every_page_renders(site: Site, viewer: str) -> None:
    """Public pages render for anyone; sign-in-only pages send the anonymous to sign in first."""
    client, failures = site.clients[viewer], []
    for path in _pages(site):
        reply = client.get(site.url(path), follow_redirects=False)
        if path in SIGNED_IN and viewer == "anonymous":
            target = "/signin?next=" + quote(site.url(path))
            if reply.status_code != 303 or reply.headers.get("location") != target:
                failures.append(f"{path}: {reply.status_code} {reply.headers.get('location')}")
        elif path not in SIGNED_IN and (problem := _html(reply)):
            failures.append(f"{path}: {problem}")
    assert not failures, "\n".join(failures)


def test_signed_in_pages_render_for_their_role(site: Site) -> None:
    failures = []
    for path in _pages(site):
        if path in SIGNED_IN:
            problem = _html(site.clients[SIGNED_IN[path]].get(site.url(path)))
            failures += [f"{path} as {SIGNED_IN[path]}: {problem}"] if problem else []
    assert not failures, "\n".join(failures)


def _closed(schema: Any) -> Any:
    """The schema with every object closed: a property the model does not declare is an error."""
    if isinstance(schema, dict):
        closed = {k: _closed(v) for k, v in schema.items()}
        if "properties" in closed:
            closed.setdefault("additionalProperties", False)
        return closed
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _model_problems(route: APIRoute, body: Any) -> list[str]:
    """Where `body` breaks the route's response model, as it is served (its serialisation
    aliases included): the model's own JSON schema, closed, with formats checked."""
    schema = TypeAdapter(route.response_model).json_schema(
        mode="serialization", by_alias=route.response_model_by_alias
    )
    validator = jsonschema_rs.validator_for(_closed(schema), validate_formats=True)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(body)][:5]


def _query(site: Site, route: APIRoute) -> dict[str, str]:
    """A value for each required query parameter (dependencies' and query models' included)."""

    def required(dependant: Any) -> Iterator[str]:
        for q in dependant.query_params:
            model = q.field_info.annotation
            if isinstance(model, type) and issubclass(
                model, BaseModel
            ):  # its fields are the parameters
                yield from (f.alias or n for n, f in model.model_fields.items() if f.is_required())
            elif q.field_info.is_required():
                yield q.alias
        for sub in dependant.dependencies:
            yield from required(sub)

    return {name: site.values[name] for name in required(route.dependant)}


def test_every_api_get_answers_its_response_model(site: Site) -> None:
    anonymous, failures = site.clients["anonymous"], []
    for path, route in get_routes(site.app):
        if not is_api(site.app, path, route) or path in UNCHECKED:
            continue
        assert isinstance(route, APIRoute)
        url, params = site.url(path), _query(site, route)
        if path in TOKEN:
            refused = anonymous.get(url, params=params)
            if refused.status_code != 401:
                failures.append(f"{path} without a token: {refused.status_code}")
        headers = {"Authorization": f"Bearer {site.tokens[TOKEN[path]]}"} if path in TOKEN else {}
        reply = anonymous.get(url, params=params, headers=headers)
        if reply.status_code != 200 or not reply.content:
            failures.append(f"{path}: {reply.status_code} {reply.text[:200]!r}")
            continue
        body = reply.json()
        if not body:  # on the Leiden data every listing lists something
            failures.append(f"{path}: empty {body!r}")
        failures += [f"{path} {problem}" for problem in _model_problems(route, body)]
    assert not failures, "\n".join(failures)


def test_every_download_comes_with_its_media_type(site: Site) -> None:
    failures = []
    for path, route in get_routes(site.app):
        media = media_of(site, path)
        if is_page(route) or is_api(site.app, path, route) or media is None:
            continue
        reply = site.clients[SIGNED_IN.get(path, "anonymous")].get(site.url(path))
        kind = reply.headers.get("content-type", "")
        if reply.status_code != 200 or not kind.startswith(media) or not reply.content:
            failures.append(f"{path}: {reply.status_code} {kind!r} {len(reply.content)} bytes")
    assert not failures, "\n".join(failures)


def test_every_get_route_is_covered_or_listed(site: Site) -> None:
    """Each GET route is a page, an API route with a response model, a download with a known
    suffix, or listed in UNCHECKED; the lists name only routes that exist, parameters have
    values; pages stay out of the API schema (/docs documents the JSON API)."""
    routes = get_routes(site.app)
    paths = {p for p, _route in routes}
    needed = {n for p in paths - set(UNCHECKED) for n in PARAMETER.findall(p)}
    unfilled = needed - set(site.values) - {n for v in PER_ROUTE.values() for n in v}
    assert not unfilled, f"path parameters without a value (add them in _populate): {unfilled}"
    neither = [
        path for path, route in routes
        if path not in UNCHECKED and not is_page(route) and not is_api(site.app, path, route)
        and media_of(site, path) is None
    ]  # fmt: skip
    assert not neither, f"GET routes neither covered nor in UNCHECKED: {neither}"
    stale = sorted((set(UNCHECKED) | set(SIGNED_IN) | set(TOKEN) | set(PER_ROUTE)) - paths)
    assert not stale, f"listed routes that do not exist: {stale}"
    documented = [p for p, route in routes if is_page(route) and p in api_paths(site.app)]
    assert not documented, f"HTML pages in the API schema: {documented}"
