"""Region admin pages for entity resolution: the review queue with accept / reject buttons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from triplehelix.accounts.deps import CsrfChecked
from triplehelix.accounts.models import User
from triplehelix.accounts.pages.web import page
from triplehelix.deps import SessionDep
from triplehelix.resolution.deps import signed_in_admin
from triplehelix.resolution.service import review

router = APIRouter(prefix="/admin/review", tags=["admin"], include_in_schema=False)
Admin = Annotated[User, Depends(signed_in_admin)]


@router.get("", response_class=HTMLResponse)
def review_page(
    request: Request, session: SessionDep, admin: Admin, status: str = "pending"
) -> Response:
    pairs = review.list_candidates(session, status)
    return page(request, "resolution/review.html", admin, pairs=pairs, status=status)


@router.post("/{candidate_id}/accept", dependencies=[CsrfChecked])
def accept(candidate_id: int, session: SessionDep, admin: Admin) -> Response:
    review.accept_candidate(session, candidate_id)
    session.commit()  # stored before the redirect is answered
    return RedirectResponse("/admin/review", status_code=303)


@router.post("/{candidate_id}/reject", dependencies=[CsrfChecked])
def reject(candidate_id: int, session: SessionDep, admin: Admin) -> Response:
    review.reject_candidate(session, candidate_id)
    session.commit()
    return RedirectResponse("/admin/review", status_code=303)
