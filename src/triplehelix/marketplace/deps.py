"""FastAPI dependencies of the marketplace: the listing filters from the query string (one
model, `PostFilters`, for the page, the feed and the API), and the optional bearer user of a
public API route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.deps import SessionDep
from triplehelix.marketplace.schemas.filters import PostFilters


def optional_api_user(request: Request, session: SessionDep) -> User | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return accounts.user_for_token(session, token.strip()) if scheme.lower() == "bearer" else None


Filters = Annotated[PostFilters, Query()]
MaybeApiUser = Annotated[User | None, Depends(optional_api_user)]
