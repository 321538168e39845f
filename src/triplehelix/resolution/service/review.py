"""The review queue: list candidate pairs, accept or reject them, and find duplicates already in
the directory. Accepting a registry pair attaches the record to the organisation; rejecting the
last pair of a record adds the record as a new organisation. Accepting a duplicate pair merges the
second organisation into the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from triplehelix.accounts.service.labels import code_label
from triplehelix.directory import models as m
from triplehelix.errors import ConflictError, NotFoundError
from triplehelix.i18n import gettext as _
from triplehelix.i18n import lazy_gettext
from triplehelix.resolution.models import RegistryRecord, ReviewCandidate
from triplehelix.resolution.service import apply
from triplehelix.resolution.service.matcher import REVIEW, ProfileIndex, score_pair
from triplehelix.resolution.service.merge import merge_organisations
from triplehelix.resolution.service.ror_import import REGISTRY, write_new_organisations

# The matcher stores its evidence in English ("same city: Leiden"); pages show the words of each
# kind of evidence in the reader's language, the names and values as they are.
EVIDENCE_WORDS = {
    "same name": lazy_gettext("same name"),
    "similar names": lazy_gettext("similar names"),
    "same web domain": lazy_gettext("same web domain"),
    "links into the same site": lazy_gettext("links into the same site"),
    "same web brand under another top-level domain": lazy_gettext(
        "same web brand under another top-level domain"
    ),
    "same acronym": lazy_gettext("same acronym"),
    "same city": lazy_gettext("same city"),
    "different city": lazy_gettext("different city"),
}


def evidence_text(line: str) -> str:
    """One stored line of evidence in the current language (unknown kinds stay as stored)."""
    kind, sep, rest = line.partition(": ")
    words = EVIDENCE_WORDS.get(kind)
    if words is None:
        return line
    return f"{words}{sep}{rest}"


@dataclass
class Side:
    """One side of a pair, as the review page shows it."""

    title: str
    id: str | None
    facts: dict[str, str]


@dataclass
class PairView:
    id: int
    kind: str
    score: float
    evidence: list[str]
    status: str
    left: Side
    right: Side


def _org_side(org: m.Organisation | None) -> Side:
    if org is None:
        return Side("(deleted)", None, {})
    idents = ", ".join(f"{i.scheme}:{i.value}" for i in org.identifiers)
    facts = {"kind": org.kind, "city": org.city or "", "website": org.website or "",
             "aliases": ", ".join(a.name for a in org.aliases), "identifiers": idents,
             "founded": str(org.founded or "")}  # fmt: skip
    return Side(org.name, org.id, facts)


def _record_side(payload: dict[str, Any]) -> Side:
    record = apply.payload_to_record(payload)
    facts = {"kind": ", ".join(record.types), "city": record.city or "",
             "website": apply.record_website(record) or record.website or "",
             "aliases": ", ".join((*record.aliases, *record.acronyms)),
             "identifiers": ", ".join(f"{s}:{v}" for s, v in record.external_ids),
             "founded": str(record.established or "")}  # fmt: skip
    return Side(record.name, record.url, facts)


def pair_view(session: Session, row: ReviewCandidate) -> PairView:
    left = _org_side(session.get(m.Organisation, row.organisation_id))
    if row.kind == "ror" and row.payload:
        right = _record_side(row.payload)
    else:
        right = _org_side(session.get(m.Organisation, row.other_id or ""))
    evidence = [evidence_text(line) for line in row.evidence]
    return PairView(row.id, row.kind, row.score, evidence, row.status, left, right)


def list_candidates(session: Session, status: str = "pending") -> list[PairView]:
    rows = session.scalars(
        select(ReviewCandidate)
        .filter_by(status=status)
        .order_by(ReviewCandidate.score.desc(), ReviewCandidate.id)
    )
    return [pair_view(session, r) for r in rows]


def _pending(session: Session, candidate_id: int) -> ReviewCandidate:
    row = session.get(ReviewCandidate, candidate_id)
    if row is None:
        raise NotFoundError(_("review candidate %(id)s not found") % {"id": candidate_id})
    if row.status != "pending":
        raise ConflictError(
            _("review candidate %(id)s is already %(status)s")
            % {"id": candidate_id, "status": code_label(row.status)}
        )
    return row


def _close(row: ReviewCandidate, status: str) -> None:
    row.status, row.decided_at = status, datetime.now(UTC)


def accept_candidate(session: Session, candidate_id: int) -> PairView:
    row = _pending(session, candidate_id)
    view = pair_view(session, row)
    _close(row, "accepted")
    if row.kind == "duplicate" and row.other_id:
        merge_organisations(session, row.organisation_id, row.other_id)
        return view
    record = apply.payload_to_record(row.payload or {})
    org = session.get(m.Organisation, row.organisation_id)
    if org is None:
        raise NotFoundError(_("organisation %(id)s not found") % {"id": repr(row.organisation_id)})

    apply.attach_record(session, org, record)
    for other in session.scalars(
        select(ReviewCandidate).filter_by(record_id=record.ror_id, status="pending")
    ):
        if other.id != row.id:
            _close(other, "rejected")
    _set_state(session, record.ror_id, "linked", org.id, record.fingerprint)
    session.flush()
    return view


def reject_candidate(session: Session, candidate_id: int) -> PairView:
    row = _pending(session, candidate_id)
    view = pair_view(session, row)
    _close(row, "rejected")
    session.flush()
    if row.kind == "ror" and row.payload:
        record = apply.payload_to_record(row.payload)
        left = session.scalars(
            select(ReviewCandidate).filter_by(record_id=record.ror_id, status="pending")
        ).first()
        if left is None:  # no organisation is this record: it joins the directory
            session.execute(delete(RegistryRecord).where(RegistryRecord.record_id == record.ror_id))
            org_id = apply.slugify(record.name)
            if session.get(m.Organisation, org_id) is not None:
                org_id = f"{org_id}-{record.ror_id}"
            write_new_organisations(session, [(record, org_id)])
    return view


def _set_state(
    session: Session, record_id: str, status: str, org_id: str, fingerprint: str
) -> None:
    state = session.get(RegistryRecord, (REGISTRY, record_id))
    if state is None:
        state = RegistryRecord(scheme=REGISTRY, record_id=record_id, fingerprint=fingerprint)
        session.add(state)
    state.status, state.organisation_id = status, org_id


def find_duplicates(session: Session, threshold: float = REVIEW) -> int:
    """Queue pairs of existing organisations that score as one; returns how many are new."""
    profiles = apply.all_organisation_profiles(session)
    index = ProfileIndex(profiles)
    known = set(session.scalars(select(ReviewCandidate.pair_key)))
    added = 0
    for profile in profiles:
        for key in index.candidates(profile):
            if key <= profile.key:
                continue  # each unordered pair once
            match = score_pair(profile, index.profiles[key])
            pair_key = f"dup:{profile.key}:{key}"
            if match.score >= threshold and pair_key not in known:
                row = ReviewCandidate(pair_key=pair_key, kind="duplicate", other_id=key)
                row.organisation_id, row.score, row.evidence = (
                    profile.key,
                    match.score,
                    match.evidence,
                )
                session.add(row)
                known.add(pair_key)
                added += 1
    session.flush()
    return added
