"""Verified affiliation: a person asks to belong to an organisation; the request is decided by an
editor of that organisation or a region admin, or confirmed by an e-mail link when the person's
address is on one of the organisation's domains, or set by single sign-on claims. Only then is
`User.organisation_id` set (see membership.py); withdrawing it leaves past bookings untouched."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.models import AffiliationRequest, User
from triplehelix.accounts.service import audit, inbox
from triplehelix.accounts.service.labels import code_label
from triplehelix.accounts.service.membership import VERIFIED_VIA
from triplehelix.accounts.service.permissions import edits_organisation, is_admin, scopes
from triplehelix.db import utcnow
from triplehelix.directory.models import Identifier, Organisation
from triplehelix.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from triplehelix.i18n import gettext as _


def organisation_of(session: Session, organisation_id: str) -> Organisation:
    org = session.get(Organisation, organisation_id.strip())
    if org is None:
        message = _("%(id)s is not a known organisation") % {"id": repr(organisation_id)}
        raise ValidationError(f"organisation: {message}")
    return org


def _host(value: str) -> str:
    host = value.strip().lower().split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.")


def email_domains(session: Session, org: Organisation) -> set[str]:
    """The web domains of an organisation (its website and `domain` identifiers)."""
    query = select(Identifier.value).where(
        Identifier.organisation_id == org.id, Identifier.scheme == "domain"
    )
    values = [org.website or "", *session.scalars(query)]
    return {h for h in map(_host, values) if "." in h}


def email_matches(session: Session, org: Organisation, email: str) -> bool:
    """True when the address is on one of the organisation's domains (or a subdomain)."""
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in email_domains(session, org))


def set_affiliation(
    session: Session, actor: User | None, user: User, organisation_id: str | None, via: str
) -> None:
    """Make (or, with None, end) a verified membership; audited and told to the person."""
    if via not in VERIFIED_VIA:
        raise ValidationError(f"via: {via!r} is not one of {', '.join(VERIFIED_VIA)}")
    if organisation_id is not None:
        organisation_of(session, organisation_id)
    before = {"organisation": user.organisation_id, "via": user.affiliation_via}
    user.organisation_id = organisation_id
    user.affiliation_via = via if organisation_id else None
    after = {"organisation": user.organisation_id, "via": user.affiliation_via}
    audit.record(session, actor, "affiliate", "user", user.id, before, after)


def request_affiliation(session: Session, user: User, organisation_id: str) -> AffiliationRequest:
    org = organisation_of(session, organisation_id)
    if user.organisation_id == org.id and user.affiliation_via:
        raise ConflictError(_("you are already a verified member of %(name)s") % {"name": org.name})
    for old in _pending(session, user_id=user.id):
        old.status = "withdrawn"  # one open request per person: the latest one
    request = AffiliationRequest(user_id=user.id, organisation_id=org.id)
    session.add(request)
    session.flush()
    audit.record(session, user, "request", "affiliation", request.id, None,
                 {"user": user.email, "organisation": org.id})  # fmt: skip
    if user.email_verified_at is not None and email_matches(session, org, user.email):
        request.status, request.decided_at = "approved", utcnow()  # the address proves it
        set_affiliation(session, user, user, org.id, "email")
        return request
    deciders = set(_deciders(session, org.id)) - {user.id}

    def subject() -> str:
        return _("Affiliation request: %(email)s for %(name)s") % {
            "email": user.email, "name": org.name
        }  # fmt: skip

    inbox.notify(session, deciders, subject, link="/admin/affiliations")
    return request


def _deciders(session: Session, organisation_id: str) -> list[int]:
    from triplehelix.accounts.models import RoleGrant

    query = select(RoleGrant.user_id).where(
        ((RoleGrant.role == "editor") & (RoleGrant.scope == organisation_id))
        | (RoleGrant.role == "admin")
    )
    return list(session.scalars(query))


def _pending(session: Session, user_id: int | None = None) -> list[AffiliationRequest]:
    query = select(AffiliationRequest).where(AffiliationRequest.status == "pending")
    if user_id is not None:
        query = query.where(AffiliationRequest.user_id == user_id)
    return list(session.scalars(query.order_by(AffiliationRequest.id)))


def pending_for(session: Session, actor: User) -> list[AffiliationRequest]:
    """The open requests this person may decide: all for an admin, their organisations' else."""
    if is_admin(actor):
        return _pending(session)
    mine = scopes(actor, "editor")
    return [r for r in _pending(session) if r.organisation_id in mine]


def pending_of(session: Session, user: User) -> AffiliationRequest | None:
    found = _pending(session, user_id=user.id)
    return found[-1] if found else None


def decide_affiliation(
    session: Session, actor: User, request_id: int, approve: bool
) -> AffiliationRequest:
    request = session.get(AffiliationRequest, request_id)
    if request is None:
        raise NotFoundError(_("no affiliation request %(id)s") % {"id": request_id})
    if not edits_organisation(actor, request.organisation_id):
        raise PermissionDeniedError(
            _("only an editor of %(id)s or a region admin may decide this")
            % {"id": repr(request.organisation_id)}
        )
    if request.status != "pending":
        raise ConflictError(
            _("affiliation request %(id)s is %(status)s, not pending")
            % {"id": request_id, "status": code_label(request.status)}
        )
    request.status = "approved" if approve else "rejected"
    request.decided_at, request.decided_by = utcnow(), actor.id
    if approve:
        set_affiliation(session, actor, request.user, request.organisation_id, "approval")
    audit.record(session, actor, request.status, "affiliation", request.id,
                 {"status": "pending"}, {"status": request.status})  # fmt: skip
    org = session.get(Organisation, request.organisation_id)
    name = org.name if org else request.organisation_id

    def subject() -> str:
        return (
            _("Your affiliation with %(name)s was approved")
            if approve
            else _("Your affiliation with %(name)s was declined")
        ) % {"name": name}

    inbox.notify(session, {request.user_id}, subject, link="/account")

    return request
