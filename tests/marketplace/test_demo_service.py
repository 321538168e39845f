"""Demo posts on the bundled dataset: added once when demo data is on, marked as demo, none when
off; the published demo request finds the demo offer from another cluster."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.service.demo import POSTS, add_demo_posts
from triplehelix.marketplace.service.matches import post_matches
from triplehelix.matching.service.index import MatchIndex


def test_demo_posts_once_and_marked(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    add_demo_posts(engine, Settings(tmp_path, "sqlite://", load_bundled=True, demo=False))
    with transaction(engine) as session:
        assert session.scalar(select(Post.id)) is None
    on = Settings(tmp_path, "sqlite://", load_bundled=True, demo=True)
    add_demo_posts(engine, on)
    add_demo_posts(engine, on)
    with transaction(engine) as session:
        posts = list(session.scalars(select(Post).order_by(Post.id)))
        assert len(posts) == sum(len(p) for _, _, p in POSTS)
        assert all(p.is_demo and "Demo post" in p.text for p in posts)
        published = [p for p in posts if p.state == "published"]
        assert {p.state for p in posts} == {"published", "submitted"}
        request = next(p for p in published if p.type == "technology_request")
        index = MatchIndex(cache_dir=None, semantic=False)
        index.ensure(session)
        found = post_matches(session, index, request)
        offer = next(p for p in published if p.type == "technology_offer")
        assert str(offer.id) in [m.id for m in found.posts]
        assert found.posts[0].why.cross_cluster
