"""Which organisation a person may act for (post, express interest, accept an introduction).

Every feature asks only `member_organisation`; today it is the organisation on the account (set by
a region admin with `triplehelix users create EMAIL --organisation ORG`, or on sign-up).
"""

from __future__ import annotations

from triplehelix.accounts.models import User


def member_organisation(user: User | None) -> str | None:
    """The organisation `user` may act for, or None when they act for none."""
    return user.organisation_id if user is not None else None
