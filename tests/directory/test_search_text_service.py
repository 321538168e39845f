"""Keyword search follows every path that edits an organisation, on both databases: the flush
hook re-derives `Organisation.search_text` (the full-text index's body), so no writer sets it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.facilities.factories import make_facility, make_user
from triplehelix.accounts.models import AuditEntry
from triplehelix.accounts.service import moderation
from triplehelix.db import transaction
from triplehelix.directory import models as m
from triplehelix.directory import service
from triplehelix.directory.service import search_text
from triplehelix.directory.service.search_text import organisation_search_text
from triplehelix.ingest.service.loader import bundled_dataset_path, load_dataset
from triplehelix.ingest.service.ror import parse_ror_record
from triplehelix.resolution.service.apply import attach_record
from triplehelix.resolution.service.merge import merge_organisations, unmerge_organisations

ROR = Path(__file__).parents[1] / "data" / "ror" / "ror_leiden_region.jsonl"
WRITERS = [
    "triplehelix.ingest.service.loader",
    "triplehelix.resolution.service.apply",
    "triplehelix.resolution.service.merge",
    "triplehelix.resolution.service.ror_import",
    "triplehelix.accounts.service.moderation",
    "triplehelix.directory.service.profile",
]


def found(session: Session, q: str) -> set[str]:
    session.flush()
    return {o.id for o in service.list_organisations(session, q, limit=500).items}


def current(session: Session, org_id: str) -> bool:
    """The stored text has the words the organisation's fields give now (a collection loaded
    afresh comes in `position` order, which need not be the order it was assigned in)."""
    org = session.get(m.Organisation, org_id)
    return org is not None and sorted(org.search_text.split()) == sorted(
        organisation_search_text(org).split()
    )


def add(session: Session, org_id: str, name: str, **fields: object) -> m.Organisation:
    org = m.Organisation(id=org_id, name=name, kind=str(fields.pop("kind", "company")), **fields)
    session.add(org)
    session.flush()
    return org


def test_a_new_organisation_gets_its_text(session: Session) -> None:
    add(session, "acme", "Acme", summary="Quokka cell lines.", city="Leiden")
    assert found(session, "quokka") == found(session, "acme leiden") == {"acme"}
    assert current(session, "acme")


def test_edited_fields_and_rows_are_found_and_removed_ones_are_not(session: Session) -> None:
    org = add(session, "acme", "Acme")
    org.summary = "Wombat assays."
    assert found(session, "wombat") == {"acme"}
    session.add(m.OrganisationAlias(organisation_id="acme", name="Numbat Works"))
    assert found(session, "numbat") == {"acme"}
    org.services = [m.Service(text="platypus imaging")]
    assert found(session, "platypus") == {"acme"}
    org.services[0].text = "echidna imaging"  # a row edited in place
    assert found(session, "echidna") == {"acme"} and found(session, "platypus") == set()
    session.delete(session.scalars(select(m.OrganisationAlias)).one())
    assert found(session, "numbat") == set()
    org.tags = [m.OrganisationTag(scheme="technology", code="cryo-em")]
    assert found(session, "cryo") == {"acme"}
    assert current(session, "acme")


def test_an_edit_of_the_text_alone_is_kept(session: Session) -> None:
    org = add(session, "acme", "Acme")
    org.search_text += " bilbyword"
    assert found(session, "bilbyword") == {"acme"}


def test_a_reloaded_dataset_is_found_by_its_new_text(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "region"
    shutil.copytree(bundled_dataset_path(), folder)
    with transaction(engine) as session:
        load_dataset(session, folder)
    path = folder / "organisations.jsonl"
    lines = path.read_text("utf-8").splitlines()
    first = json.loads(lines[0])
    first["services"] = [*first.get("services", []), "quokka formulation"]
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", "utf-8")
    with transaction(engine) as session:
        load_dataset(session, folder)
        assert found(session, "quokka formulation") == {first["id"]}
        assert current(session, first["id"])


def test_a_registry_record_attached_is_found(session: Session) -> None:
    org = add(session, "station", "Station", origin="ror")
    line = ROR.read_text("utf-8").splitlines()[0]
    record = parse_ror_record(json.loads(line), line)
    attach_record(session, org, dataclasses.replace(record, name="Quokka Station"))
    assert found(session, "quokka") == {"station"}
    assert current(session, "station")


def test_merge_and_unmerge_move_the_text(session: Session) -> None:
    add(session, "lumc", "LUMC")
    other = add(session, "copy", "Wallaby Hospital")
    other.aliases = [m.OrganisationAlias(name="Quokka Clinic", position=0)]
    session.commit()
    merge = merge_organisations(session, "lumc", "copy")
    assert found(session, "quokka") == found(session, "wallaby") == {"lumc"}
    unmerge_organisations(session, merge.id)
    assert found(session, "quokka") == found(session, "wallaby") == {"copy"}
    assert current(session, "lumc") and current(session, "copy")


def test_moderated_edits_and_new_organisations_are_found(session: Session) -> None:
    make_facility(session)
    editor = make_user(session, "e@example.org", "editor", "acme")
    admin = make_user(session, "a@example.org", "admin")
    moderation.propose_edits(session, editor, "acme", {"summary": "Quokka cleanrooms."})
    assert found(session, "quokka") == {"acme"}
    entry = session.scalars(select(AuditEntry).filter_by(action="edit")).one()
    moderation.revert_edit(session, admin, entry.id)
    assert found(session, "quokka") == set()
    added = moderation.propose_organisation(
        session, editor, "Wombat Labs", "company", "Oegstgeest", "", ""
    )
    moderation.decide_change(session, admin, added.id, True)
    assert found(session, "wombat oegstgeest") == {"wombat-labs"}
    assert current(session, "acme") and current(session, "wombat-labs")


def test_a_profile_edit_is_found(session: Session) -> None:
    make_facility(session)
    editor = make_user(session, "e@example.org", "editor", "acme")
    moderation.edit_profile(session, editor, "acme", "Numbat media.", "", ["quokka assays"])
    assert found(session, "numbat") == found(session, "quokka assays") == {"acme"}
    assert current(session, "acme")


@pytest.mark.parametrize("module", WRITERS)
def test_every_writer_brings_the_hook_along(module: str) -> None:
    """Imported on its own, a module that writes organisations imports the hook's module."""
    hook = "triplehelix.directory.service.search_text"
    code = f"import sys, {module}; print({hook!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_hook_is_registered() -> None:
    assert event.contains(Session, "before_flush", search_text._refresh_search_text)
