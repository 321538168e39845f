"""`load --replace` on a live database keeps what hangs off the directory, or refuses and says why."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from triplehelix import cli
from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.db import Base, transaction
from triplehelix.directory import models as m
from triplehelix.errors import ConflictError
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.service.booking import request_booking
from triplehelix.facilities.service.demo import MANAGER, seed_demo
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.resolution.models import RegistryRecord, ReviewCandidate
from triplehelix.resolution.service.ror_import import import_ror

ROR = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"


def _first_slot(resource: Resource) -> tuple[datetime, datetime]:
    zone = ZoneInfo(resource.timezone)
    day = datetime.now(zone).date() + timedelta(days=4)
    while str(day.isoweekday()) not in resource.open_days:
        day += timedelta(days=1)
    start = datetime.combine(day, time(9), zone)
    return start, start + timedelta(minutes=max(resource.min_minutes, 60))


def _book_every_resource(session: Session) -> None:
    manager = session.scalars(select(User).where(User.email == MANAGER)).one()
    for resource in session.scalars(select(Resource).order_by(Resource.id)):
        request_booking(session, manager, resource.id, *_first_slot(resource), note="kept?")


@pytest.fixture
def live(engine: Engine) -> Engine:
    """The bundled data with demo resources, a booking on each, a ROR import and an employee."""
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        seed_demo(session)
        _book_every_resource(session)
        import_ror(session, ROR)
        owner = session.scalars(select(m.Facility.owner_id).order_by(m.Facility.id)).first()
        accounts.create_user(session, "employee@example.org", "long enough pw", "E", owner)
    return engine


def _state(engine: Engine) -> dict[str, object]:
    """Everything a replace must keep, row by row."""
    with transaction(engine) as s:
        return {
            "resources": sorted(s.execute(select(Resource.id, Resource.facility_id)).all()),
            "bookings": sorted(
                s.execute(
                    select(Booking.id, Booking.resource_id, Booking.status, Booking.note)
                ).all()
            ),
            "registry": sorted(
                s.execute(select(RegistryRecord.record_id, RegistryRecord.organisation_id)).all()
            ),
            "identifiers": sorted(
                s.execute(
                    select(m.Identifier.organisation_id, m.Identifier.scheme, m.Identifier.value)
                ).all()
            ),
            "review": sorted(
                s.execute(select(ReviewCandidate.pair_key, ReviewCandidate.status)).all()
            ),
            "accounts": sorted(s.execute(select(User.email, User.organisation_id)).all()),
            "organisations": s.scalar(select(func.count()).select_from(m.Organisation)),
            "relations": s.scalar(select(func.count()).select_from(m.Relation)),
        }


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "region"
    shutil.copytree(bundled_dataset_path(), folder)
    return folder


def _drop_organisation(folder: Path, org_id: str) -> None:
    """Remove an organisation and every line of the other files that names it."""
    for name in ("organisations", "facilities", "relations", "events"):
        path = folder / f"{name}.jsonl"
        kept = []
        for line in path.read_text("utf-8").splitlines():
            r = json.loads(line)
            names = {
                r.get("id"),
                r.get("owner"),
                r.get("source"),
                r.get("target"),
                *r.get("orgs", []),
            }
            if org_id not in names:
                kept.append(line)
        path.write_text("\n".join(kept) + "\n", "utf-8")


def test_bundled_data_replaced_on_a_live_database_keeps_everything(live: Engine) -> None:
    before = _state(live)
    assert before["resources"] and before["bookings"] and before["registry"] and before["review"]
    with transaction(live) as session:
        report = load_dataset(session, bundled_dataset_path(), replace=True)
    assert _state(live) == before
    assert report.removed == {"events": 0, "relations": 0, "facilities": 0, "organisations": 0}


def _without_an_owner_of_resources(engine: Engine, tmp_path: Path) -> tuple[str, Path]:
    """(an organisation whose facility has resources, a copy of the data without it)"""
    with transaction(engine) as s:
        query = select(m.Facility.owner_id).join(Resource, Resource.facility_id == m.Facility.id)
        owner = str(s.scalars(query.order_by(m.Facility.owner_id)).first())
    folder = _copy(tmp_path)
    _drop_organisation(folder, owner)
    return owner, folder


def test_dropping_an_organisation_others_depend_on_is_refused_and_lists_the_losses(
    live: Engine, tmp_path: Path
) -> None:
    owner, folder = _without_an_owner_of_resources(live, tmp_path)
    before = _state(live)
    with pytest.raises(ConflictError) as caught, transaction(live) as session:
        load_dataset(session, folder, replace=True)
    with transaction(live) as s:
        facilities = set(s.scalars(select(m.Facility.id).where(m.Facility.owner_id == owner)))
        resources = s.scalars(select(Resource).where(Resource.facility_id.in_(facilities))).all()
    for resource in resources:
        assert any(f"resource {resource.id} {resource.name!r}" in p for p in caught.value.problems)
    assert any("booking(s)" in p for p in caught.value.problems)
    assert _state(live) == before


def test_prune_deletes_the_dropped_organisation_and_keeps_the_rest(
    live: Engine, tmp_path: Path
) -> None:
    owner, folder = _without_an_owner_of_resources(live, tmp_path)
    with transaction(live) as s:
        gone = set(
            s.scalars(select(Resource.id).join(m.Facility).where(m.Facility.owner_id == owner))
        )
        kept = set(s.scalars(select(Resource.id))) - gone
    with transaction(live) as session:
        report = load_dataset(session, folder, replace=True, prune=True)
    assert report.removed["organisations"] == 1
    with transaction(live) as s:
        assert s.get(m.Organisation, owner) is None
        assert set(s.scalars(select(Resource.id))) == kept
        left = set(s.scalars(select(Booking.resource_id)))
        assert left and left <= kept


def test_dropping_an_employer_is_refused(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
        org = session.scalars(select(m.Organisation.id).order_by(m.Organisation.id)).first()
        accounts.create_user(session, "worker@example.org", "long enough pw", "W", org)
    folder = _copy(tmp_path)
    _drop_organisation(folder, str(org))
    with pytest.raises(ConflictError) as caught, transaction(engine) as session:
        load_dataset(session, folder, replace=True)
    assert caught.value.problems == [
        f"organisation {org!r}: account worker@example.org works there"
    ]


def test_replace_removes_only_what_the_new_data_lacks(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        load_dataset(session, bundled_dataset_path())
    folder = _copy(tmp_path)
    events = (folder / "events.jsonl").read_text("utf-8").splitlines()
    (folder / "events.jsonl").write_text("\n".join(events[1:]) + "\n", "utf-8")
    with transaction(engine) as session:
        report = load_dataset(session, folder, replace=True)
    assert report.removed["events"] == 1
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Event)) == len(events) - 1
        # no source is left that nothing cites
        used = {row.source_id for t in ("organisation", "facility", "relation", "event")
                for row in s.execute(Base.metadata.tables[f"{t}_sources"].select())}  # fmt: skip
        assert set(s.scalars(select(m.Source.id))) == used


def test_cli_refuses_and_prints_the_losses(
    live: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIPLEHELIX_DATABASE_URL", live.url.render_as_string(hide_password=False))
    _, folder = _without_an_owner_of_resources(live, tmp_path)
    runner, app = CliRunner(), cli.create_cli()
    refused = runner.invoke(app, ["load", str(folder), "--replace"])
    assert refused.exit_code == 2
    assert "booking(s)" in refused.output and "--prune" in refused.output
    alone = runner.invoke(app, ["load", str(folder), "--prune"])
    assert alone.exit_code == 2
    pruned = runner.invoke(app, ["load", str(folder), "--replace", "--prune", "--json"])
    assert pruned.exit_code == 0, pruned.output
    assert json.loads(pruned.stdout.splitlines()[-1])["removed"]["organisations"] == 1
