"""Who may use the review pages: a signed-in region admin (the accounts feature decides who is)."""

from __future__ import annotations

from triplehelix.accounts.deps import CurrentUser
from triplehelix.accounts.models import User
from triplehelix.accounts.service import permissions


def signed_in_admin(user: CurrentUser) -> User:
    """Not signed in: off to the sign-in page; signed in without the admin role: 403."""
    permissions.require_admin(user)
    return user
