"""FastAPI dependencies shared by every feature's routes (a session per request, the settings)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from triplehelix.config import Settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's session. It never commits: a route that writes commits before it answers
    (this runs after the response is sent, too late to turn a busy database into a 503), and
    whatever a request leaves uncommitted is rolled back when the session closes."""
    with request.app.state.sessions() as session:
        yield session


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
