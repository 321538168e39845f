"""Published posts as documents of the matching index, so a need also finds relevant offers and
a post finds its opposite posts. `SOURCE` is installed as marketplace's `document_sources` in
triplehelix.features."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from triplehelix.directory.models import Organisation
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import TYPES, domains, stages
from triplehelix.matching.service.index import DocumentSource, Entity
from triplehelix.search.schemas.documents import Document


def post_key(post_id: int) -> str:
    return f"post:{post_id}"


def _published(session: Session) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.state == "published").order_by(Post.id)))


def version(session: Session) -> tuple[object, ...]:
    row = session.execute(
        select(func.count(), func.max(Post.updated_at)).where(Post.state == "published")
    ).one()
    return tuple(row)


def documents(session: Session) -> list[Document]:
    names, chain = domains(), stages()
    return [
        Document(
            id=post_key(p.id),
            type="post",
            key=post_key(p.id),
            fields={
                "name": p.title,
                "summary": p.text,
                "tags": " ".join(
                    [
                        TYPES[p.type],
                        *(names.get(d, d) for d in p.domains),
                        *(chain.get(s, s) for s in p.stages),
                    ]
                ),
            },
        )
        for p in _published(session)
    ]


def entities(session: Session) -> dict[str, Entity]:
    posts = _published(session)
    ids = {p.organisation_id for p in posts}
    orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(ids))
            .options(selectinload(Organisation.tags))
        )
    }
    found = {}
    for p in posts:
        org = orgs[p.organisation_id]
        found[post_key(p.id)] = Entity(
            key=post_key(p.id), type="post", id=str(p.id), name=p.title, kind=p.type,
            city=org.city, clusters=tuple(org.tag_codes("cluster")), stages=tuple(p.stages),
            summary=p.text, owner_id=org.id, owner_name=org.name,
            in_region=bool(org.in_region), website=org.website,
        )  # fmt: skip
    return found


SOURCE = DocumentSource(version=version, documents=documents, entities=entities)
