"""Demand signals: counts by type and domain, introductions per month and across clusters, and
requests no organisation in the region matches; over HTTP as JSON and as the insight page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.marketplace.factories import make_people, published_post
from triplehelix.db import transaction
from triplehelix.marketplace.service import interests
from triplehelix.marketplace.service.signals import demand_signals
from triplehelix.matching.service.index import MatchIndex


def test_signals_count_and_name_unmatched_requests(session: Session) -> None:
    people = make_people(session)
    answered = published_post(session, people)  # thermal vacuum testing: orbit-works offers it
    lonely = published_post(session, people, title="Cryogenic quantum sensor calibration",
                            text="Looking for cryogenic quantum sensor calibration.",
                            domains=["drones"])  # fmt: skip
    interest = interests.express_interest(session, people.other, answered.id, "")
    interests.accept_interest(session, people.poster, interest.id)
    session.flush()
    index = MatchIndex(cache_dir=None, semantic=False)
    index.ensure(session)
    s = demand_signals(session, index)
    assert s.by_type == [("technology_request", "Technology request", 2)]
    assert {code: n for code, _, n in s.by_domain} == {"space": 1, "drones": 1}
    assert s.introductions == 1 and s.cross_cluster == 1 and s.cross_share == 1.0
    assert [n for _, n in s.introductions_per_month] == [1]
    assert [p.id for p in s.unmatched] == [lonely.id]


def test_demand_page_and_api(engine: Engine, client: TestClient) -> None:
    with transaction(engine) as session:
        published_post(session, make_people(session))
    data = client.get("/api/insights/marketplace").json()
    assert data["posts_by_type"][0]["count"] == 1 and data["introductions"] == 0
    page = client.get("/insights/marketplace")
    assert page.status_code == 200 and "requests no organisation in the region matches" in page.text
    assert "Supply-side gaps" in page.text
    assert 'href="/insights/marketplace"' in client.get("/insights").text
