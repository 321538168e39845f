"""Demo posts for `make run`: a member of a company in each cluster, a demo region admin, a few
published posts (an offer and a request that match each other across clusters, spare capacity,
an internship) and one waiting for review, all marked as demo. Off in a real deployment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation, OrganisationTag
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import PostFields
from triplehelix.marketplace.service import create_post, review_post, submit_post

ADMIN = "demo-admin@example.org"
NOTE = "\n\nDemo post: not a real offer or request."
# (cluster, account, [(fields, publish?)])
POSTS: list[tuple[str, str, list[tuple[dict[str, object], bool]]]] = [
    ("lbsp", "demo-biotech@example.org", [
        ({"type": "technology_request",
          "title": "Thermal vacuum testing for a cell-culture payload",
          "text": "We look for thermal vacuum and vibration testing of a small bioreactor before "
                  "it flies on a microgravity research mission.",
          "domains": ["life_sciences", "space"], "partnership": ["technical_cooperation"],
          "trl": 5}, True),
        ({"type": "infrastructure_capacity", "title": "Spare ISO 7 cleanroom time on Fridays",
          "text": "Our ISO 7 cleanroom has free slots on Friday afternoons for assembly of "
                  "sensitive hardware or cell culture work.", "domains": ["life_sciences"],
          "partnership": ["facility_use"], "location": "Leiden Bio Science Park"}, True),
    ]),
    ("nl-space-campus", "demo-space@example.org", [
        ({"type": "technology_offer", "title": "Thermal vacuum chamber time for small payloads",
          "text": "We offer thermal vacuum testing and vibration testing for payloads up to "
                  "50 kg, with engineering support.", "domains": ["space"],
          "partnership": ["technical_cooperation", "subcontracting"], "trl": 8}, True),
        ({"type": "internship", "title": "Graduation project: satellite data for crop monitoring",
          "text": "A graduation project for a Hogeschool Leiden or Leiden University student on "
                  "satellite earth observation data for agriculture.", "domains": ["space"],
          "partnership": ["employment"], "location": "Noordwijk"}, True),
    ]),
    ("unmanned-valley", "demo-drones@example.org", [
        ({"type": "research_partner", "title": "Research partner for drone delivery of lab samples",
          "text": "We look for a hospital or laboratory to research beyond-visual-line-of-sight "
                  "drone transport of medical samples.", "domains": ["drones", "life_sciences"],
          "partnership": ["research_cooperation"]}, False),
    ]),
]  # fmt: skip


def add_demo_posts(engine: Engine, settings: Settings) -> None:
    if not settings.demo:
        return
    with transaction(engine) as session:
        if session.scalar(select(Post.id).where(Post.is_demo.is_(True))) is None:
            seed_demo_posts(session)


def _organisation(session: Session, cluster: str) -> str | None:
    query = (
        select(Organisation.id).join(OrganisationTag)
        .where(OrganisationTag.scheme == "cluster", OrganisationTag.code == cluster,
               Organisation.kind == "company")
        .order_by(Organisation.id).limit(1)
    )  # fmt: skip
    return session.scalar(query)


def _admin(session: Session) -> User:
    admin = session.scalar(select(User).where(User.email == ADMIN))
    if admin is None:
        admin = accounts.create_user(session, ADMIN, accounts.DEMO_PASSWORD,
                                     "Demo region admin (demo data)", is_demo=True)  # fmt: skip
        accounts.grant_role(session, None, admin, "admin", "")
    return admin


def seed_demo_posts(session: Session) -> None:
    admin = _admin(session)
    for cluster, email, posts in POSTS:
        org = _organisation(session, cluster)
        if org is None:  # another region's dataset: no company in this cluster
            continue
        name = f"Demo member of {org} (demo data)"
        member = accounts.create_user(session, email, accounts.DEMO_PASSWORD, name, org,
                                      is_demo=True)  # fmt: skip
        for values, publish in posts:
            fields = PostFields(**values)  # type: ignore[arg-type]
            fields.text += NOTE
            post = create_post(session, member, fields, is_demo=True)
            submit_post(session, member, post.id)
            if publish:
                review_post(session, admin, post.id, "approve", "")
