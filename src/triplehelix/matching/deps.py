"""The matching index for a request: the app's database, its data folder for the embedding cache."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from triplehelix.config import Settings
from triplehelix.deps import SessionDep
from triplehelix.matching.service.index import MatchIndex, index_for


def get_index(request: Request, session: SessionDep) -> MatchIndex:
    return index_for(session, request.app.state.settings.data_dir)


IndexDep = Annotated[MatchIndex, Depends(get_index)]


def warm_index(session: Session, settings: Settings) -> None:
    """Readiness step: the index built before /readyz says ready."""
    index_for(session, settings.data_dir)
