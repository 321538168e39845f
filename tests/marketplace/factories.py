"""Factories for the marketplace tests: organisations in two clusters, their members, an admin."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from tests.facilities.factories import PASSWORD
from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.accounts.service import security
from triplehelix.directory.models import Organisation, OrganisationTag, Service
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import PostFields
from triplehelix.marketplace.service import create_post, review_post, submit_post

__all__ = ["PASSWORD", "People", "make_org", "make_people", "published_post"]


def make_org(session: Session, org_id: str, cluster: str, summary: str = "",
             services: tuple[str, ...] = (), city: str = "Leiden") -> Organisation:  # fmt: skip
    org = Organisation(id=org_id, name=org_id.replace("-", " ").title(), kind="company",
                       city=city, summary=summary)  # fmt: skip
    session.add(org)
    session.flush()
    session.add(OrganisationTag(organisation_id=org_id, scheme="cluster", code=cluster))
    for n, text in enumerate(services):
        session.add(Service(organisation_id=org_id, text=text, position=n))
    session.flush()
    return org


@lru_cache(maxsize=1)
def _password_hash() -> str:  # argon2 is slow by design: hash the one test password once
    return security.hash_password(PASSWORD)


def make_user(session: Session, email: str, role: str = "member",
              organisation_id: str | None = None) -> User:  # fmt: skip
    """An account like `triplehelix users create EMAIL --organisation ORG` makes."""
    user = User(email=email, password_hash=_password_hash(), organisation_id=organisation_id,
                affiliation_via="admin" if organisation_id else None,
                name=email.split("@")[0].title())  # fmt: skip
    session.add(user)
    session.flush()
    accounts.grant_role(session, None, user, role, "")
    session.flush()
    return user


@dataclass
class People:
    poster: User  # member of acme-bio (lbsp)
    colleague: User  # another member of acme-bio
    other: User  # member of orbit-works (nl-space-campus)
    admin: User
    loner: User  # no organisation


def make_people(session: Session) -> People:
    make_org(session, "acme-bio", "lbsp", "Biologics process development",
             ("GMP manufacturing of viral vectors",))  # fmt: skip
    make_org(session, "orbit-works", "nl-space-campus", "Satellite thermal testing",
             ("thermal vacuum testing of satellite components",), city="Noordwijk")  # fmt: skip
    return People(
        poster=make_user(session, "poster@acme.example", organisation_id="acme-bio"),
        colleague=make_user(session, "colleague@acme.example", organisation_id="acme-bio"),
        other=make_user(session, "other@orbit.example", organisation_id="orbit-works"),
        admin=make_user(session, "admin@region.example", role="admin"),
        loner=make_user(session, "loner@example.org"),
    )


def request_fields(**changes: object) -> PostFields:
    fields = PostFields(
        type="technology_request", title="Thermal vacuum testing for a cell culture payload",
        text="We look for thermal vacuum testing of a small bioreactor before a space flight.",
        domains=["space"], stages=[], partnership=["technical_cooperation"], trl=5,
    )  # fmt: skip
    for name, value in changes.items():
        setattr(fields, name, value)
    return fields


def published_post(session: Session, people: People, **changes: object) -> Post:
    post = create_post(session, people.poster, request_fields(**changes))
    submit_post(session, people.poster, post.id)
    review_post(session, people.admin, post.id, "approve", "")
    session.flush()
    return post
