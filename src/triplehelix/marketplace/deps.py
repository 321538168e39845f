"""FastAPI dependencies of the marketplace: the listing filters from the query string (one
definition for the page and the API), and the optional bearer user of a public API route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.deps import SessionDep
from triplehelix.marketplace.service.listing import PostFilters

Values = Annotated[list[str], Query()]


def post_filters(
    q: Annotated[str, Query(max_length=500, description="Words in the post")] = "",
    type: Values = [],  # noqa: B006 - FastAPI copies defaults per request
    domain: Values = [],  # noqa: B006
    stage: Values = [],  # noqa: B006
    cluster: Values = [],  # noqa: B006
    municipality: Values = [],  # noqa: B006
    trl: Annotated[list[int], Query()] = [],  # noqa: B006
    partnership: Values = [],  # noqa: B006
) -> PostFilters:
    return PostFilters(q=q, type=type, domain=domain, stage=stage, cluster=cluster,
                       municipality=municipality, trl=trl, partnership=partnership)  # fmt: skip


def optional_api_user(request: Request, session: SessionDep) -> User | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return accounts.user_for_token(session, token.strip()) if scheme.lower() == "bearer" else None


Filters = Annotated[PostFilters, Depends(post_filters)]
MaybeApiUser = Annotated[User | None, Depends(optional_api_user)]
