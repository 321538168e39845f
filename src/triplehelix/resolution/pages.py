"""Region admin pages for entity resolution: the review queue with accept / reject buttons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from triplehelix.accounts.deps import CsrfChecked
from triplehelix.accounts.models import User
from triplehelix.deps import SessionDep
from triplehelix.errors import ConflictError, DomainError, http_status
from triplehelix.resolution.deps import signed_in_admin
from triplehelix.resolution.service import review
from triplehelix.web import field_errors, redirect, render

router = APIRouter(prefix="/admin/review", tags=["admin"], include_in_schema=False)
Admin = Annotated[User, Depends(signed_in_admin)]


@router.get("", response_class=HTMLResponse)
def review_page(
    request: Request, session: SessionDep, admin: Admin, status: str = "pending"
) -> Response:
    return _review(request, session, admin, status)


def _review(request: Request, session: SessionDep, admin: User, status: str = "pending",
            refused: DomainError | None = None) -> Response:  # fmt: skip
    """The queue; a refused decision (the pair was decided meanwhile) comes back on it."""
    pairs = review.list_candidates(session, status)
    code, errors = (http_status(refused), field_errors([str(refused)])) if refused else (200, {})
    return render(request, "resolution/review.html", code, user=admin, pairs=pairs,
                  status=status, errors=errors)  # fmt: skip


@router.post("/{candidate_id}/accept", dependencies=[CsrfChecked])
def accept(request: Request, candidate_id: int, session: SessionDep, admin: Admin) -> Response:
    try:
        review.accept_candidate(session, candidate_id)
    except ConflictError as exc:
        session.rollback()
        return _review(request, session, admin, refused=exc)
    session.commit()  # stored before the redirect is answered
    return redirect("/admin/review")


@router.post("/{candidate_id}/reject", dependencies=[CsrfChecked])
def reject(request: Request, candidate_id: int, session: SessionDep, admin: Admin) -> Response:
    try:
        review.reject_candidate(session, candidate_id)
    except ConflictError as exc:
        session.rollback()
        return _review(request, session, admin, refused=exc)
    session.commit()
    return redirect("/admin/review")
