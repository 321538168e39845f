"""The coded part of an editor's profile on both databases: value-chain stages, modalities,
domains (taxonomy codes), registry identifiers, and the municipality that follows the city. Each
goes through the per-field-kind policy, is audited and can be reverted; bad codes are refused
with the field named and nothing stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.accounts.test_account_pages import _people, csrf, sign_in
from tests.facilities.factories import make_facility, make_user
from triplehelix.accounts.models import AuditEntry, User
from triplehelix.accounts.service import moderation
from triplehelix.db import transaction
from triplehelix.directory.models import Organisation
from triplehelix.errors import ValidationError
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.taxonomy.schemas import get_taxonomy


def _stages() -> list[str]:
    tax = get_taxonomy()
    return tax.stages(tax.domains()[0].code)[:2]


def _setup(session: Session) -> tuple[Organisation, User, User]:
    make_facility(session)
    editor = make_user(session, "e@example.org", "editor", "acme")
    admin = make_user(session, "a@example.org", "admin")
    org = session.get(Organisation, "acme")
    assert org is not None
    return org, editor, admin


def _edits(session: Session, org: Organisation) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity_id == org.id, AuditEntry.action == "edit")
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_stages_publish_at_once_or_wait_per_policy(session: Session) -> None:
    org, editor, admin = _setup(session)
    first, second = _stages()
    published, waiting = moderation.propose_edits(session, editor, "acme", {"value_chain": [first]})
    assert (published, waiting) == (["value_chain"], [])
    assert org.tag_codes("value_chain") == [first]
    assert any(s.label == "edited by the organisation" for s in org.sources)
    [entry] = _edits(session, org)
    assert entry.before == {"value_chain": []} and entry.after == {"value_chain": [first]}
    moderation.set_mode(session, admin, "value_chain", "review")
    published, waiting = moderation.propose_edits(
        session, editor, "acme", {"value_chain": [first, second]}
    )
    assert (published, waiting) == ([], ["value_chain"])
    assert org.tag_codes("value_chain") == [first]
    [change] = moderation.pending(session)
    moderation.decide_change(session, admin, change.id, True)
    session.flush()
    assert org.tag_codes("value_chain") == [first, second]


def test_unknown_code_is_refused_naming_the_field(session: Session) -> None:
    org, editor, _ = _setup(session)
    modality = get_taxonomy().codes("modality")[0]
    with pytest.raises(ValidationError) as caught:
        moderation.propose_edits(session, editor, "acme", {
            "modality": [modality], "domain": ["no_such_domain"],
            "identifiers": {"kvk": "12ab"}})  # fmt: skip
    assert "domain: unknown code 'no_such_domain'" in caught.value.problems
    assert any(p.startswith("identifiers.kvk:") for p in caught.value.problems)
    assert org.tag_codes("modality") == [] and _edits(session, org) == []


def test_revert_restores_codes_and_identifiers(session: Session) -> None:
    org, editor, admin = _setup(session)
    domain = get_taxonomy().codes("domain")[0]
    moderation.propose_edits(session, editor, "acme", {"domain": [domain],
                             "identifiers": {"wikidata": "Q42", "kvk": "12345678"}})  # fmt: skip
    session.flush()
    assert {(i.scheme, i.value) for i in org.identifiers} == {
        ("wikidata", "Q42"), ("kvk", "12345678")}  # fmt: skip
    moderation.propose_edits(session, editor, "acme", {"domain": [],
                             "identifiers": {"wikidata": "Q43"}})  # fmt: skip
    session.flush()
    assert org.tag_codes("domain") == []
    for entry in reversed(_edits(session, org)[2:]):
        moderation.revert_edit(session, admin, entry.id)
    session.flush()
    session.expire_all()
    reloaded = session.get(Organisation, "acme")
    assert reloaded is not None and reloaded.tag_codes("domain") == [domain]
    org = reloaded
    assert {(i.scheme, i.value) for i in org.identifiers} == {
        ("wikidata", "Q42"), ("kvk", "12345678")}  # fmt: skip


def test_identifier_of_another_organisation_is_refused(session: Session) -> None:
    _, editor, _ = _setup(session)
    make_facility(session, "other-lab", "other")
    make_user(session, "o@example.org", "editor", "other")
    moderation.propose_edits(session, editor, "acme", {"identifiers": {"wikidata": "Q42"}})
    session.flush()
    other_editor = session.scalars(select(User).where(User.email == "o@example.org")).one()
    with pytest.raises(ValidationError, match=r"identifiers.wikidata: 'Q42' already belongs"):
        moderation.propose_edits(session, other_editor, "other",
                                 {"identifiers": {"wikidata": "Q42"}})  # fmt: skip


def test_city_change_relocates_the_municipality_and_revert_follows(session: Session) -> None:
    org, editor, admin = _setup(session)
    gaz = get_gazetteer()
    leiden, amsterdam = gaz.place("Leiden"), gaz.place("Amsterdam")
    assert leiden and amsterdam and leiden != amsterdam
    moderation.propose_edits(session, editor, "acme", {"city": "Leiden"})
    assert org.municipality == leiden and org.in_region
    moderation.propose_edits(session, editor, "acme", {"city": "Amsterdam"})
    assert org.municipality == amsterdam and not org.in_region
    moderation.revert_edit(session, admin, _edits(session, org)[-1].id)
    assert org.city == "Leiden" and org.municipality == leiden


def test_profile_form_ticks_codes_and_keeps_values_on_error(
    engine: Engine, client: TestClient
) -> None:
    _people(engine)
    first, second = _stages()
    modality = get_taxonomy().codes("modality")[0]
    sign_in(client, "e@example.org")
    form = client.get("/account/organisations/acme")
    assert form.status_code == 200 and f'name="value_chain" value="{first}"' in form.text
    token = csrf(client, "/account")
    bad = client.post("/account/organisations/acme", data={
        "summary": "Kept text", "coded": "1", "value_chain": [first, "bogus_stage"],
        "modality": [modality], "id_kvk": "1234", "csrf_token": token})  # fmt: skip
    assert bad.status_code == 422
    assert 'id="err-value_chain" role="alert">Unknown code &#39;bogus_stage&#39;' in bad.text
    assert 'id="err-identifiers.kvk"' in bad.text and 'value="1234"' in bad.text
    assert "Kept text" in bad.text
    assert f'value="{first}" checked' in bad.text and f'value="{second}" checked' not in bad.text
    with transaction(engine) as session:
        org = session.get(Organisation, "acme")
        assert org is not None and org.tag_codes("value_chain") == [] and org.summary != "Kept text"
    saved = client.post("/account/organisations/acme", data={
        "summary": "", "coded": "1", "value_chain": [first, second], "modality": [modality],
        "city": "Leiden", "id_wikidata": "Q42", "csrf_token": token})  # fmt: skip
    assert saved.status_code == 200 and "Published now:" in saved.text
    assert f'value="{second}" checked' in saved.text
    with transaction(engine) as session:
        org = session.get(Organisation, "acme")
        assert org is not None and org.tag_codes("value_chain") == [first, second]
        assert org.municipality == get_gazetteer().place("Leiden")
        assert [(i.scheme, i.value) for i in org.identifiers] == [("wikidata", "Q42")]
