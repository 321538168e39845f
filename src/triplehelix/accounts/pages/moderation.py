"""Directory edits in the browser: an editor's profile form (each field published or queued by
the region office's policy), "claim this organisation", "add an organisation", and the region
office's review queue with the per-field policy."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from triplehelix.accounts.deps import CsrfChecked, CurrentUser
from triplehelix.accounts.models import ProfileChange
from triplehelix.accounts.service import moderation
from triplehelix.accounts.service.permissions import require_admin, require_editor
from triplehelix.deps import SessionDep
from triplehelix.directory.models import Organisation
from triplehelix.errors import DomainError, NotFoundError, http_status
from triplehelix.i18n import gettext as _
from triplehelix.web import field_errors, redirect, render

router = APIRouter(tags=["accounts"], include_in_schema=False)


def _profile(request: Request, user: CurrentUser, session: SessionDep, organisation_id: str,
             status_code: int = 200, **extra: object) -> Response:  # fmt: skip
    require_editor(user, organisation_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(_("organisation %(id)s not found") % {"id": repr(organisation_id)})
    waiting = session.scalars(select(ProfileChange).where(
        ProfileChange.organisation_id == org.id, ProfileChange.status == "pending"))  # fmt: skip
    extra.setdefault("values", moderation.current_values(org))
    extra.setdefault("errors", {})
    return render(request, "accounts/profile.html", user=user, status_code=status_code, org=org,
                  policies=moderation.policies(session), waiting=list(waiting),
                  choices=moderation.choices(), schemes=moderation.IDENTIFIER_FORMS,
                  **extra)  # fmt: skip


@router.get("/account/organisations/{organisation_id}", response_class=HTMLResponse)
def profile_form(
    request: Request, organisation_id: str, user: CurrentUser, session: SessionDep,
    published: str = "", queued: str = "",
) -> Response:  # fmt: skip
    return _profile(request, user, session, organisation_id, published=published, queued=queued)


@router.post("/account/organisations/{organisation_id}", dependencies=[CsrfChecked])
def profile_save(
    request: Request, organisation_id: str, user: CurrentUser, session: SessionDep,
    summary: str = Form(""), website: str = Form(""), services: str = Form(""),
    city: str = Form(""), address: str = Form(""), source: str = Form(""),
    coded: str = Form(""), value_chain: list[str] = Form([]), modality: list[str] = Form([]),
    domain: list[str] = Form([]), id_wikidata: str = Form(""), id_kvk: str = Form(""),
    id_ror: str = Form(""), id_isni: str = Form(""),
) -> Response:  # fmt: skip
    values: dict[str, object] = {"summary": summary, "website": website, "city": city,
                                 "services": services.splitlines(), "address": address}  # fmt: skip
    if coded:  # the form showed the checkboxes, so an unticked one means "none"
        identifiers = {"wikidata": id_wikidata, "kvk": id_kvk, "ror": id_ror, "isni": id_isni}
        values |= {"value_chain": value_chain, "modality": modality, "domain": domain,
                   "identifiers": identifiers}  # fmt: skip
    try:
        published, queued = moderation.propose_edits(session, user, organisation_id, values, source)
    except DomainError as exc:
        session.rollback()
        return _profile(request, user, session, organisation_id, http_status(exc), error=str(exc),
                        errors=field_errors(exc.problems), source=source,
                        values=values)  # fmt: skip
    session.commit()
    query = f"published={','.join(published)}&queued={','.join(queued)}"
    return redirect(f"/account/organisations/{organisation_id}?saved=1&{query}")


@router.get("/account/claim/{organisation_id}", response_class=HTMLResponse)
def claim_form(
    request: Request, organisation_id: str, user: CurrentUser, session: SessionDep
) -> Response:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(_("organisation %(id)s not found") % {"id": repr(organisation_id)})
    return render(request, "accounts/claim.html", user=user, org=org)


@router.post(
    "/account/claim/{organisation_id}", dependencies=[CsrfChecked], response_class=HTMLResponse
)
def claim(request: Request, organisation_id: str, user: CurrentUser, session: SessionDep,
          note: str = Form("")) -> Response:  # fmt: skip
    moderation.claim_organisation(session, user, organisation_id, note)
    session.commit()
    org = session.get(Organisation, organisation_id)
    return render(request, "accounts/claim.html", user=user, org=org, sent=True)


@router.get("/account/add-organisation", response_class=HTMLResponse)
def add_form(request: Request, user: CurrentUser) -> Response:
    return render(
        request, "accounts/add_organisation.html", user=user, kinds=moderation.organisation_kinds()
    )


@router.post("/account/add-organisation", dependencies=[CsrfChecked], response_class=HTMLResponse)
def add(
    request: Request, user: CurrentUser, session: SessionDep, name: str = Form(""),
    kind: str = Form(""), city: str = Form(""), website: str = Form(""), source: str = Form(""),
) -> Response:  # fmt: skip
    form = {"name": name, "kind": kind, "city": city, "website": website, "source": source}
    try:
        moderation.propose_organisation(session, user, name, kind, city, website, source)
    except DomainError as exc:
        session.rollback()
        return render(request, "accounts/add_organisation.html", http_status(exc), user=user,
                      error=str(exc), errors=field_errors(exc.problems),
                      kinds=moderation.organisation_kinds(), form=form)  # fmt: skip
    session.commit()
    return render(request, "accounts/add_organisation.html", user=user, sent=True, form=form,
                  kinds=moderation.organisation_kinds())  # fmt: skip


@router.get("/admin/moderation", response_class=HTMLResponse)
def queue(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    require_admin(user)
    return render(request, "accounts/moderation.html", user=user,
                  changes=moderation.pending(session), policies=moderation.policies(session),
                  modes=moderation.MODES)  # fmt: skip


@router.post("/admin/moderation/policy", dependencies=[CsrfChecked])
def set_policy(user: CurrentUser, session: SessionDep, field: str = Form(""),
               mode: str = Form("")) -> Response:  # fmt: skip
    moderation.set_mode(session, user, field, mode)
    session.commit()
    return redirect("/admin/moderation")


@router.post("/admin/moderation/{change_id}/{verdict}", dependencies=[CsrfChecked])
def decide(change_id: int, verdict: str, user: CurrentUser, session: SessionDep) -> Response:
    if verdict not in ("approve", "reject"):
        raise NotFoundError(
            _("no decision %(verdict)s: approve or reject") % {"verdict": repr(verdict)}
        )
    moderation.decide_change(session, user, change_id, verdict == "approve")
    session.commit()
    return redirect("/admin/moderation")
