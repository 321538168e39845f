"""Marketplace pages: the public list with search and facets, a post with its matches and the
interest form, writing and editing a post, "my posts", the marketplace inbox, the review queue."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from triplehelix.accounts.deps import CsrfChecked, CurrentUser, OptionalUser
from triplehelix.accounts.models import User
from triplehelix.accounts.service.membership import member_organisation
from triplehelix.accounts.service.permissions import is_admin, require_admin
from triplehelix.deps import SessionDep
from triplehelix.directory.models import Organisation
from triplehelix.errors import DomainError, NotFoundError, ValidationError, http_status
from triplehelix.i18n import current_locale
from triplehelix.i18n import gettext as _
from triplehelix.marketplace import service
from triplehelix.marketplace.deps import Filters
from triplehelix.marketplace.pages.forms import form_fields, post_values
from triplehelix.marketplace.schemas import fields
from triplehelix.marketplace.schemas.fields import N_
from triplehelix.marketplace.service import alerts, interests
from triplehelix.marketplace.service.listing import FACETS, search_posts
from triplehelix.marketplace.service.matches import post_matches
from triplehelix.matching.deps import IndexDep
from triplehelix.response_cache import cached
from triplehelix.taxonomy import get_taxonomy
from triplehelix.web import field_errors, redirect, render

router = APIRouter(tags=["marketplace"], include_in_schema=False)
FACET_TITLES = {"type": N_("Type"), "domain": N_("Domain"), "stage": N_("Value-chain stage"),
                "cluster": N_("Cluster"), "municipality": N_("Municipality"), "trl": N_("TRL"),
                "partnership": N_("Partnership")}  # fmt: skip


def _labels() -> dict[str, dict[str, str]]:
    """Every code a marketplace page shows, named in the request's language."""
    tax = get_taxonomy()
    return {
        "type": fields.translated(fields.TYPES), "domain": fields.domain_labels(),
        "stage": fields.stage_labels(),
        "cluster": {t.code: t.label_in(current_locale()) for t in tax.schemes["cluster"].terms},
        "partnership": fields.translated(fields.PARTNERSHIP),
        "ip_status": fields.translated(fields.IP_STATUS),
        "state": fields.translated(fields.STATE_NAMES),
        "interest_state": fields.translated(fields.INTEREST_STATE_NAMES),
    }  # fmt: skip


def _orgs(session: SessionDep, ids: set[str]) -> dict[str, Organisation]:
    return {i: o for i in ids if (o := session.get(Organisation, i)) is not None}


@router.get("/marketplace", response_class=HTMLResponse)
@cached("directory")
def marketplace(request: Request, session: SessionDep, user: OptionalUser,
                filters: Filters) -> Response:  # fmt: skip
    found, facets = search_posts(session, filters)
    return render(request, "marketplace/list.html", user=user, found=found, facets=facets,
                  facet_order=FACETS, titles=fields.translated(FACET_TITLES), labels=_labels(),
                  filters=filters, member=member_organisation(user))  # fmt: skip


def _form(request: Request, user: User, action: str, values: dict[str, str | list[str]],
          refused: DomainError | None = None) -> Response:  # fmt: skip
    """The post form; a refused one comes back with its problems beside their fields."""
    status, error = (http_status(refused), str(refused)) if refused else (200, "")
    errors = field_errors(refused.problems) if refused else {}
    return render(request, "marketplace/form.html", status, user=user, action=action,
                  values=values, error=error, errors=errors, labels=_labels(),
                  technology=fields.TECHNOLOGY, max_title=fields.MAX_TITLE)  # fmt: skip


async def _values(request: Request) -> dict[str, str | list[str]]:
    form = await request.form()
    lists = {"domains", "stages", "partnership"}
    return {k: ([str(v) for v in form.getlist(k)] if k in lists else str(form.get(k, "")))
            for k in {*form.keys(), *lists}}  # fmt: skip


@router.get("/marketplace/new", response_class=HTMLResponse)
def new_post_form(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    service.acting_organisation(session, user)
    return _form(request, user, "/marketplace/new", {"type": "technology_offer"})


@router.post("/marketplace/new", dependencies=[CsrfChecked])
async def new_post(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    values = await _values(request)
    try:
        post = service.create_post(session, user, form_fields(values))
        if values.get("then") == "submit":
            service.submit_post(session, user, post.id)
    except DomainError as exc:
        session.rollback()
        return _form(request, user, "/marketplace/new", values, exc)
    session.commit()
    return redirect(f"/marketplace/{post.id}")


@router.get("/marketplace/mine", response_class=HTMLResponse)
def my_posts(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    org = service.acting_organisation(session, user)
    posts = service.list_posts(session, states=fields.STATES, organisation=org)
    return render(request, "marketplace/mine.html", user=user, posts=posts, labels=_labels())


@router.get("/marketplace/inbox", response_class=HTMLResponse)
def inbox(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    org = member_organisation(user)
    received, sent = interests.interests_for(session, user, org)
    intros = interests.introductions_for(session, user, org)
    ids = {i.organisation_id for i in received + sent} | {i.post.organisation_id for i in sent}
    return render(request, "marketplace/inbox.html", user=user, received=received, sent=sent,
                  intros=intros, orgs=_orgs(session, ids), labels=_labels())  # fmt: skip


def _alerts(request: Request, user: User, session: SessionDep,
            refused: DomainError | None = None, typed: dict[str, list[str]] | None = None,
            ) -> Response:  # fmt: skip
    status = http_status(refused) if refused else 200
    errors = field_errors(refused.problems) if refused else {}
    return render(request, "marketplace/alerts.html", status, user=user,
                  alerts=alerts.alerts_of(session, user), labels=_labels(), errors=errors,
                  typed=typed or {})  # fmt: skip


@router.get("/marketplace/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _alerts(request, user, session)


@router.post("/marketplace/alerts", dependencies=[CsrfChecked])
async def follow(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    form = await request.form()
    typed = {k: [str(v) for v in form.getlist(k)] for k in ("types", "domains")}
    try:
        alerts.follow(session, user, typed["types"], typed["domains"])
    except ValidationError as exc:
        session.rollback()
        return _alerts(request, user, session, exc, typed)
    session.commit()
    return redirect("/marketplace/alerts")


@router.post("/marketplace/alerts/{alert_id}/delete", dependencies=[CsrfChecked])
def unfollow(alert_id: int, user: CurrentUser, session: SessionDep) -> Response:
    alerts.unfollow(session, user, alert_id)
    session.commit()
    return redirect("/marketplace/alerts")


@router.get("/marketplace/feed.atom")
def feed(request: Request, session: SessionDep, filters: Filters) -> Response:
    """The posts of a listing filter as an Atom feed (every query parameter of /marketplace)."""
    found, _facets = search_posts(session, filters)
    base = str(request.base_url)
    body = alerts.atom_feed(found, str(request.url), base, _("Marketplace posts"))
    return Response(body, media_type="application/atom+xml")


@router.get("/marketplace/{post_id}", response_class=HTMLResponse)
def post_page(request: Request, post_id: int, session: SessionDep, user: OptionalUser,
              index: IndexDep) -> Response:  # fmt: skip
    return _post_page(request, post_id, session, user, index)


def _post_page(request: Request, post_id: int, session: SessionDep, user: User | None,
               index: IndexDep, refused: DomainError | None = None,
               message: str = "") -> Response:  # fmt: skip
    """A post; a refused interest comes back with its problem beside the message, kept."""
    status = http_status(refused) if refused else 200
    errors = field_errors(refused.problems) if refused else {}
    post = service.readable_post(session, user, post_id)
    found = post_matches(session, index, post) if post.state == "published" else None
    org = session.get(Organisation, post.organisation_id)
    author = session.get(User, post.author_id) if post.author_id else None
    member = member_organisation(user)
    sent = user is not None and any(i.user_id == user.id for i in post.interests)
    return render(request, "marketplace/post.html", status, user=user, post=post, org=org,
                  matches=found, labels=_labels(), poster=service.is_poster(user, post),
                  admin=is_admin(user), member=member, errors=errors, message=message,
                  contact=author.email if author and post.contact_public else None,
                  sent=sent)  # fmt: skip


@router.get("/marketplace/{post_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, post_id: int, user: CurrentUser, session: SessionDep) -> Response:
    post = service.get_post(session, post_id)
    service.require_poster(user, post)
    return _form(request, user, f"/marketplace/{post.id}/edit", post_values(post))


@router.post("/marketplace/{post_id}/edit", dependencies=[CsrfChecked])
async def edit(request: Request, post_id: int, user: CurrentUser, session: SessionDep) -> Response:
    values = await _values(request)
    try:
        service.update_post(session, user, post_id, form_fields(values))
        if values.get("then") == "submit":
            service.submit_post(session, user, post_id)
    except DomainError as exc:
        session.rollback()
        action = f"/marketplace/{post_id}/edit"
        return _form(request, user, action, values, exc)
    session.commit()
    return redirect(f"/marketplace/{post_id}")


@router.post("/marketplace/{post_id}/interest", dependencies=[CsrfChecked])
async def interest(request: Request, post_id: int, user: CurrentUser,
                   session: SessionDep, index: IndexDep) -> Response:  # fmt: skip
    message = str((await request.form()).get("message", ""))
    try:
        interests.express_interest(session, user, post_id, message)
    except DomainError as exc:
        session.rollback()
        return _post_page(request, post_id, session, user, index, exc, message)
    session.commit()
    return redirect(f"/marketplace/{post_id}?interest=sent")


ACTIONS = {"submit": service.submit_post, "withdraw": service.withdraw_post,
           "renew": service.renew_post}  # fmt: skip


@router.post("/marketplace/{post_id}/{action}", dependencies=[CsrfChecked])
def act(post_id: int, action: str, user: CurrentUser, session: SessionDep) -> Response:
    """submit, withdraw or renew, by the poster's organisation."""
    if action not in ACTIONS:
        raise NotFoundError(f"no action {action!r} on posts")
    ACTIONS[action](session, user, post_id)
    session.commit()
    return redirect(f"/marketplace/{post_id}")


@router.post("/marketplace/interests/{interest_id}/{decision}", dependencies=[CsrfChecked])
def decide(request: Request, interest_id: int, decision: str, user: CurrentUser,
           session: SessionDep) -> Response:  # fmt: skip
    if decision == "accept":
        _, _, mails = interests.accept_interest(session, user, interest_id)
        session.commit()
        interests.deliver(request.app.state.settings, mails)
    else:
        interests.decline_interest(session, user, interest_id)
        session.commit()
    return redirect("/marketplace/inbox")


@router.get("/admin/posts", response_class=HTMLResponse)
def review_queue(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    return _queue(request, user, session)


def _queue(request: Request, user: User, session: SessionDep, post_id: int = 0,
           refused: DomainError | None = None, comment: str = "") -> Response:  # fmt: skip
    """The review queue; a refused review comes back beside that post's comment, kept."""
    require_admin(user)
    posts = service.list_posts(session, states=("submitted",))
    orgs = _orgs(session, {p.organisation_id for p in posts})
    status = http_status(refused) if refused else 200
    errors = {post_id: field_errors(refused.problems)} if refused else {}
    return render(request, "marketplace/queue.html", status, user=user, posts=posts, orgs=orgs,
                  labels=_labels(), errors=errors, typed={post_id: comment})  # fmt: skip


@router.post("/admin/posts/{post_id}/review", dependencies=[CsrfChecked])
async def review(request: Request, post_id: int, user: CurrentUser,
                 session: SessionDep) -> Response:  # fmt: skip
    form = await request.form()
    decision, comment = str(form.get("decision", "")), str(form.get("comment", ""))
    try:
        service.review_post(session, user, post_id, decision, comment)
    except ValidationError as exc:
        session.rollback()
        return _queue(request, user, session, post_id, exc, comment)
    session.commit()
    return redirect("/admin/posts")
