"""Concurrent first requests for one insight view compute it once; a data change recomputes.

The views' inputs (the language-independent numbers the pictures are drawn from) are cached by
database, data version and arguments in `service.VIEWS`, a `SingleFlight`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from triplehelix.db import session_factory, transaction
from triplehelix.directory import models as m
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.insights import service
from triplehelix.singleflight import SingleFlight

N = 16


def _at_once(n: int, call: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        try:
            out[i] = call(i)
        except Exception as exc:  # kept to compare
            out[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_one_computation_for_concurrent_callers_of_one_key() -> None:
    flight: SingleFlight[str, object] = SingleFlight()
    calls: list[int] = []

    def slow() -> object:
        calls.append(1)
        time.sleep(0.3)
        return object()

    results = _at_once(N, lambda i: flight.get("k", slow))
    assert len(calls) == 1 and flight.computed == 1
    assert all(r is results[0] for r in results)
    assert flight.get("k", slow) is results[0] and len(calls) == 1  # kept
    flight.get("other", slow)
    assert len(calls) == 2


def test_an_error_reaches_every_waiter_and_is_not_kept() -> None:
    flight: SingleFlight[str, int] = SingleFlight()
    calls: list[int] = []

    def failing() -> int:
        calls.append(1)
        time.sleep(0.2)
        raise ValueError("no")

    results = _at_once(8, lambda i: flight.get("k", failing))
    assert len(calls) == 1 and all(isinstance(r, ValueError) for r in results)
    assert flight.get("k", lambda: 3) == 3  # the next call computes again


def test_lru_bound() -> None:
    flight: SingleFlight[int, int] = SingleFlight(size=2)
    for k in range(3):
        flight.get(k, lambda: 1)
    flight.get(0, lambda: 1)
    assert flight.computed == 4


@pytest.mark.parametrize("view", ["coverage", "growth", "network", "region_map"])
def test_concurrent_first_views_compute_once(engine: Engine, view: str) -> None:
    with transaction(engine) as s:
        load_dataset(s, bundled_dataset_path())
    sessions = session_factory(engine)
    function = getattr(service, view)
    before = service.VIEWS.computed

    def call(_: int) -> Any:
        with sessions() as session:
            return function(session)

    results = _at_once(N, call)
    assert service.VIEWS.computed - before == 1
    assert all(r is results[0] for r in results), results[0]
    with sessions() as session:  # default arguments spelled out: the same key
        assert function(session, cluster=None) is results[0]
    assert service.VIEWS.computed - before == 1


def test_a_data_change_recomputes(engine: Engine) -> None:
    with transaction(engine) as s:
        load_dataset(s, bundled_dataset_path())
    sessions = session_factory(engine)
    with sessions() as session:
        first = service.coverage(session)
    with transaction(engine) as s:
        org = s.scalars(select(m.Organisation).order_by(m.Organisation.id)).first()
        assert org is not None
        s.add(m.OrganisationTag(organisation_id=org.id, scheme="domain", code="med-tech",
                                position=99))  # fmt: skip
    with sessions() as session:
        second = service.coverage(session)
    assert second is not first


def test_concurrent_first_page_requests_compute_once(engine: Engine, tmp_path: Path) -> None:
    from triplehelix.app import create_app
    from triplehelix.config import Settings

    with transaction(engine) as s:
        load_dataset(s, bundled_dataset_path())
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(tmp_path, url, load_bundled=False, warm=False))
    before = service.VIEWS.computed
    with TestClient(app) as client:
        replies = _at_once(8, lambda i: client.get("/insights/network"))
    app.state.engine.dispose()
    assert [r.status_code for r in replies] == [200] * 8
    assert service.VIEWS.computed - before == 1


def test_warm_computes_the_views_before_ready(engine: Engine, tmp_path: Path) -> None:
    from triplehelix.app import create_app
    from triplehelix.config import Settings

    with transaction(engine) as s:
        load_dataset(s, bundled_dataset_path())
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(tmp_path, url, load_bundled=False, warm=True))
    with TestClient(app) as client:
        assert app.state.readiness.done.wait(300)
        assert client.get("/readyz").json() == {"status": "ready", "problems": []}
        before = service.VIEWS.computed
        for path in ("/insights/coverage", "/insights/growth", "/insights/network",
                     "/insights/map", "/insights/report"):  # fmt: skip
            assert client.get(path).status_code == 200
        assert service.VIEWS.computed == before  # every input was already there
    app.state.engine.dispose()


def test_each_language_has_its_own_entry(engine: Engine) -> None:
    """Labels and sentences in a view follow the language: an English answer is never served to
    a Dutch request."""
    from triplehelix.i18n import use_locale

    with transaction(engine) as s:
        load_dataset(s, bundled_dataset_path())
    sessions = session_factory(engine)
    before = service.VIEWS.computed
    with sessions() as session:
        with use_locale("en"):
            english = service.growth(session)
        with use_locale("nl"):
            dutch = service.growth(session)
            assert service.growth(session) is dutch
    assert dutch is not english
    assert service.VIEWS.computed - before == 2
