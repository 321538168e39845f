"""Region admin pages for entity resolution: the review queue with accept / reject buttons."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from triplehelix.deps import SessionDep
from triplehelix.resolution import review
from triplehelix.resolution.access import COOKIE, admin_token, require_admin

router = APIRouter(prefix="/admin/review", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("", response_class=HTMLResponse)
def review_page(request: Request, session: SessionDep, status: str = "pending") -> Response:
    from triplehelix.web import render

    pairs = review.list_candidates(session, status)
    response = render(request, "resolution/review.html", pairs=pairs, status=status)
    if request.query_params.get("token"):
        response.set_cookie(COOKIE, admin_token(), httponly=True, samesite="strict")
    return response


@router.post("/{candidate_id}/accept")
def accept(candidate_id: int, session: SessionDep) -> Response:
    review.accept_candidate(session, candidate_id)
    return RedirectResponse("/admin/review", status_code=303)


@router.post("/{candidate_id}/reject")
def reject(candidate_id: int, session: SessionDep) -> Response:
    review.reject_candidate(session, candidate_id)
    return RedirectResponse("/admin/review", status_code=303)
