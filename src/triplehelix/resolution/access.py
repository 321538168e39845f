"""Who may use the region admin pages: one small dependency the accounts feature can replace.

`require_admin` lets a request through when it carries the admin token from the setting
TRIPLEHELIX_ADMIN_TOKEN (as `?token=` once, then the `triplehelix_admin` cookie the page sets), or
when a signed-in user with the `region_admin` role sits on `request.state.user` (accounts, when
merged). No token configured and nobody signed in: the pages are closed. To switch to accounts,
swap this one function for the accounts feature's own admin dependency.
"""

from __future__ import annotations

import os
import secrets

from fastapi import Request

from triplehelix.errors import PermissionDeniedError

COOKIE = "triplehelix_admin"


def admin_token() -> str:
    return os.environ.get("TRIPLEHELIX_ADMIN_TOKEN", "").strip()


def require_admin(request: Request) -> None:
    user = getattr(request.state, "user", None)
    if user is not None and "region_admin" in (getattr(user, "roles", None) or []):
        return
    expected = admin_token()
    given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
    if expected and secrets.compare_digest(given.encode(), expected.encode()):
        return
    raise PermissionDeniedError("the review pages are for the region admin")
