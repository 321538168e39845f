"""FastAPI dependencies shared by every feature's routes (a session per request, the settings)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from triplehelix.config import Settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session. It never commits: a route that writes commits before it answers
    (this runs after the response is sent, too late to turn a busy database into a 503), and
    whatever a request leaves uncommitted is rolled back when the session closes.

    Made on the event loop (a new session does no I/O; it connects when first used, in the
    route's thread), so a request does not wait for a thread just to get one; closed in a
    thread, as closing may talk to the database."""
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        with anyio.CancelScope(shield=True):  # closed even when the request was cancelled
            await run_in_threadpool(session.close)


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
