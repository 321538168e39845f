"""Import, review, merge and unmerge on real SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory.service import resolve_organisation_id
from triplehelix.errors import ConflictError
from triplehelix.resolution.models import ReviewCandidate
from triplehelix.resolution.service.merge import merge_organisations, unmerge_organisations
from triplehelix.resolution.service.review import (
    accept_candidate,
    find_duplicates,
    reject_candidate,
)
from triplehelix.resolution.service.ror_import import import_ror

DATA = Path(__file__).parents[1] / "data" / "ror"
REGION = DATA / "ror_leiden_region.jsonl"


def make_organisation(session: Session, **fields: object) -> m.Organisation:
    values: dict[str, object] = {"kind": "company", "origin": "dataset", **fields}
    aliases = cast(list[str], values.pop("aliases", []))
    org = m.Organisation(**values)
    org.aliases = [m.OrganisationAlias(name=str(a), position=i) for i, a in enumerate(aliases)]
    session.add(org)
    session.flush()
    return org


def seed(session: Session) -> None:
    make_organisation(
        session,
        id="lumc",
        name="Leiden University Medical Center (LUMC)",
        city="Leiden",
        website="lumc.nl",
        founded=1111,
        kind="university_medical_center",
    )
    make_organisation(
        session, id="leiden-university", name="Leiden University", city="Leiden", kind="university"
    )
    make_organisation(session, id="erasmus-mc", name="Erasmus MC", city="Rotterdam")
    session.commit()


def ids(session: Session, org_id: str) -> set[tuple[str, str]]:
    return {
        (i.scheme, i.value)
        for i in session.scalars(select(m.Identifier).filter_by(organisation_id=org_id))
    }


def test_import_twice_then_newer_release(session: Session, tmp_path: Path) -> None:
    seed(session)
    first = import_ror(session, REGION)
    session.commit()
    assert first.matched >= 2 and first.new > 30 and first.errors == 0
    assert ("ror", "05xvt9f17") in ids(session, "lumc") and ("ror", "027bh9e22") in ids(
        session, "leiden-university"
    )
    assert session.scalar(select(m.Organisation).filter_by(id="ikea-foundation")).origin == "ror"  # type: ignore[union-attr]
    lumc = session.get(m.Organisation, "lumc")
    assert lumc is not None and lumc.founded == 1111  # curated fact kept (ROR says 1575)
    assert "https://ror.org/05xvt9f17" in [s.url for s in lumc.sources]
    assert first.relations >= 1  # LUMC related Leiden University
    again = import_ror(session, REGION)
    session.commit()
    assert again.as_dict() == {
        "matched": 0,
        "queued": 0,
        "new": 0,
        "unchanged": 61,
        "errors": 0,
        "skipped": 0,
    }
    assert again.relations == 0
    lines = REGION.read_text(encoding="utf-8").splitlines()
    raw = json.loads(lines[0])
    raw["established"] = 1983
    raw["domains"] = ["ikea-foundation.example"]
    newer = tmp_path / "newer.jsonl"
    newer.write_text("\n".join([json.dumps(raw), "{broken", *lines[1:]]) + "\n", encoding="utf-8")
    update = import_ror(session, newer)
    session.commit()
    assert (update.matched, update.unchanged, update.errors) == (1, 60, 1)
    assert update.problems == [
        "newer.jsonl: line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    ]
    ikea = session.get(m.Organisation, "ikea-foundation")
    assert ikea is not None and ikea.founded == 1983 and ikea.website == "ikea-foundation.example"


def test_repeated_and_reactivated_records(session: Session, tmp_path: Path) -> None:
    """A record twice in one file (the later line wins) and a withdrawn record coming back."""
    raw = json.loads(REGION.read_text(encoding="utf-8").splitlines()[0])  # IKEA Foundation
    later = json.loads(json.dumps(raw))
    later["established"] = 1983
    twice = tmp_path / "twice.jsonl"
    twice.write_text(json.dumps(raw) + "\n" + json.dumps(later) + "\n", encoding="utf-8")
    summary = import_ror(session, twice)
    session.commit()
    assert (summary.new, summary.matched, summary.errors) == (1, 1, 0)
    ikea = session.get(m.Organisation, "ikea-foundation")
    assert ikea is not None and ikea.founded == 1983
    assert len(session.scalars(select(m.Identifier).filter_by(value=raw["id"][-9:])).all()) == 1
    gone = tmp_path / "withdrawn.jsonl"
    other = json.loads(REGION.read_text(encoding="utf-8").splitlines()[1])
    gone.write_text(json.dumps({**other, "status": "withdrawn"}) + "\n", encoding="utf-8")
    assert import_ror(session, gone).skipped == 1
    back = tmp_path / "back.jsonl"
    back.write_text(json.dumps(other) + "\n", encoding="utf-8")
    assert import_ror(session, back).new == 1
    session.commit()
    assert import_ror(session, back).unchanged == 1


def test_curated_facts_are_never_overwritten(session: Session) -> None:
    make_organisation(
        session,
        id="naturalis",
        name="Naturalis Biodiversity Center",
        city="Leiden",
        website="naturalis.example",
        aliases=["Curated alias"],
    )
    session.commit()
    import_ror(session, REGION)
    session.commit()
    org = session.get(m.Organisation, "naturalis")
    assert org is not None
    assert (org.name, org.website, [a.name for a in org.aliases]) == (
        "Naturalis Biodiversity Center",
        "naturalis.example",
        ["Curated alias"],
    )
    assert org.founded == 1820 and ("ror", "0566bfb96") in ids(
        session, "naturalis"
    )  # empty field filled


def test_review_accept_and_reject(session: Session) -> None:
    seed(session)
    import_ror(session, REGION)
    session.commit()
    pending = session.scalars(
        select(ReviewCandidate).filter_by(status="pending", organisation_id="erasmus-mc")
    ).all()
    assert pending, "sub-units of Erasmus MC should wait for review"
    accept_candidate(session, pending[0].id)
    session.commit()
    assert ("ror", str(pending[0].record_id)) in ids(session, "erasmus-mc")
    before = session.query(m.Organisation).count()
    reject_candidate(session, pending[1].id)
    session.commit()
    assert (
        session.query(m.Organisation).count() == before + 1
    )  # the record joined as its own organisation
    with pytest.raises(ConflictError):
        accept_candidate(session, pending[1].id)


def test_merge_and_unmerge(session: Session) -> None:
    seed(session)
    make_organisation(
        session,
        id="lumc-copy",
        name="LUMC",
        city=None,
        address="Albinusdreef 2",
        aliases=["Academisch Ziekenhuis Leiden"],
    )
    session.add(m.Relation(source_id="lumc-copy", target_id="leiden-university", kind="part_of"))
    session.add(m.Relation(source_id="lumc", target_id="lumc-copy", kind="partner_of"))
    session.add(m.Facility(id="lab", name="Lab", owner_id="lumc-copy", kind="cleanroom"))
    session.add(m.Identifier(organisation_id="lumc-copy", scheme="wikidata", value="Q1"))
    event = m.Event(key="k", date="2020", year=2020, kind="founded", summary="s")
    event.participants = [m.EventOrganisation(organisation_id="lumc-copy", position=0)]
    session.add(event)
    session.commit()
    merge = merge_organisations(session, "lumc", "lumc-copy")
    session.commit()
    assert session.get(m.Organisation, "lumc-copy") is None
    assert resolve_organisation_id(session, "lumc-copy") == "lumc"
    lumc = session.get(m.Organisation, "lumc")
    assert lumc is not None and lumc.address == "Albinusdreef 2"
    assert {"LUMC", "Academisch Ziekenhuis Leiden"} <= {a.name for a in lumc.aliases}
    assert ("wikidata", "Q1") in ids(session, "lumc")
    assert session.get(m.Facility, "lab").owner_id == "lumc"  # type: ignore[union-attr]
    kinds = {(r.source_id, r.target_id, r.kind) for r in session.scalars(select(m.Relation))}
    assert kinds == {("lumc", "leiden-university", "part_of")}  # self-partnership dropped
    unmerge_organisations(session, merge.id)
    session.commit()
    session.expire_all()
    assert resolve_organisation_id(session, "lumc-copy") == "lumc-copy"
    copy = session.get(m.Organisation, "lumc-copy")
    assert copy is not None and [a.name for a in copy.aliases] == ["Academisch Ziekenhuis Leiden"]
    lumc = session.get(m.Organisation, "lumc")
    assert (
        lumc is not None and lumc.address is None and "LUMC" not in [a.name for a in lumc.aliases]
    )
    assert ("wikidata", "Q1") in ids(session, "lumc-copy") and ("wikidata", "Q1") not in ids(
        session, "lumc"
    )
    kinds = {(r.source_id, r.target_id, r.kind) for r in session.scalars(select(m.Relation))}
    assert kinds == {
        ("lumc-copy", "leiden-university", "part_of"),
        ("lumc", "lumc-copy", "partner_of"),
    }
    assert session.get(m.Facility, "lab").owner_id == "lumc-copy"  # type: ignore[union-attr]
    assert [p.organisation_id for p in session.scalars(select(m.EventOrganisation))] == [
        "lumc-copy"
    ]
    with pytest.raises(ConflictError):
        unmerge_organisations(session, merge.id)


def test_find_duplicates(session: Session) -> None:
    seed(session)
    make_organisation(
        session,
        id="lumc-2",
        name="Leids Universitair Medisch Centrum",
        aliases=["LUMC"],
        city="Leiden",
        website="lumc.nl",
    )
    session.commit()
    assert find_duplicates(session) >= 1
    pair = session.scalar(
        select(ReviewCandidate).filter_by(
            kind="duplicate", organisation_id="lumc", other_id="lumc-2"
        )
    )
    assert pair is not None and pair.score >= 0.75
    assert find_duplicates(session) == 0  # never proposed twice
    accept_candidate(session, pair.id)
    session.commit()
    assert resolve_organisation_id(session, "lumc-2") == "lumc"
