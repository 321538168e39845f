"""The one answer to "is this person a member of an organisation, and what do they hold?": only
a verified affiliation counts (an e-mail link on the organisation's domain, an approval by an
editor or region admin, single sign-on claims, or an account the region office created), and a
disabled account holds nothing. Qualifications past their expiry date no longer count."""

from __future__ import annotations

from datetime import datetime

from triplehelix.accounts.models import User
from triplehelix.db import utcnow

# The ways an affiliation can be verified; anything else is a claim, not a membership.
VERIFIED_VIA = ("email", "approval", "sso", "admin")


def member_organisation(user: User | None) -> str | None:
    """The organisation this person is a verified member of, or None (unaffiliated)."""
    if user is None or user.disabled_at is not None or user.affiliation_via not in VERIFIED_VIA:
        return None
    return user.organisation_id


def held_qualifications(user: User, now: datetime | None = None) -> set[str]:
    """Names of the qualifications that are in force now (not expired)."""
    moment = now or utcnow()
    return {q.name for q in user.qualifications if q.expires_at is None or q.expires_at > moment}
