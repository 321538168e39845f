"""The words pages show for stored codes (booking states, roles, moderation modes, periods...).

The codes themselves stay as they are in the database and the API; only what a person reads is
translated, in the request's language. Templates call `code_label(code)` (registered in
`accounts/pages/__init__.py`); a code without a label is shown as it is.
"""

from __future__ import annotations

from triplehelix.i18n import lazy_gettext

CODE_LABELS: dict[str, str] = {
    # booking and waiting-list states, and the week view's cells
    "pending": lazy_gettext("pending"),
    "confirmed": lazy_gettext("confirmed"),
    "declined": lazy_gettext("declined"),
    "cancelled": lazy_gettext("cancelled"),
    "offered": lazy_gettext("offered"),
    "waiting": lazy_gettext("waiting"),
    "free": lazy_gettext("free"),
    "closed": lazy_gettext("closed"),
    "maintenance": lazy_gettext("maintenance"),
    "booking": lazy_gettext("booking"),
    # review of matches and duplicates
    "accepted": lazy_gettext("accepted"),
    "rejected": lazy_gettext("rejected"),
    # roles
    "member": lazy_gettext("member"),
    "editor": lazy_gettext("editor"),
    "manager": lazy_gettext("manager"),
    "admin": lazy_gettext("region admin"),
    # how an affiliation was verified
    "email": lazy_gettext("by e-mail domain"),
    "approval": lazy_gettext("approved"),
    "sso": lazy_gettext("institution sign-in"),
    # moderation modes and kinds of change
    "publish": lazy_gettext("publish at once"),
    "review": lazy_gettext("review first"),
    "edit": lazy_gettext("change to"),
    "claim": lazy_gettext("claim"),
    "add": lazy_gettext("new organisation"),
    "published": lazy_gettext("published"),
    # utilisation periods and groups
    "week": lazy_gettext("week"),
    "month": lazy_gettext("month"),
    "resource": lazy_gettext("resource"),
    "organisation": lazy_gettext("organisation"),
    "project": lazy_gettext("project"),
}

FIELD_LABELS: dict[str, str] = {
    "summary": lazy_gettext("Description"),
    "website": lazy_gettext("Website"),
    "services": lazy_gettext("Services"),
    "city": lazy_gettext("City"),
    "address": lazy_gettext("Address"),
    "value_chain": lazy_gettext("Value-chain stages"),
    "modality": lazy_gettext("Modalities"),
    "domain": lazy_gettext("Domains"),
    "identifiers": lazy_gettext("Identifiers"),
    "kind": lazy_gettext("Kind"),
    "aliases": lazy_gettext("Aliases"),
    "founded": lazy_gettext("Founded"),
    # keys of audited changes
    "expires": lazy_gettext("Expires"),
    "qualification": lazy_gettext("Qualification"),
    "role": lazy_gettext("Role"),
    "scope": lazy_gettext("Scope"),
    "organisation": lazy_gettext("Organisation"),
    "via": lazy_gettext("Verified via"),
    "disabled": lazy_gettext("Disabled"),
    "status": lazy_gettext("Status"),
    "mode": lazy_gettext("Mode"),
    "name": lazy_gettext("Name"),
    "user": lazy_gettext("Account"),
    "email": lazy_gettext("E-mail"),
    "note": lazy_gettext("Note"),
    "reason": lazy_gettext("Reason"),
    "start": lazy_gettext("Start"),
    "end": lazy_gettext("End"),
    "field": lazy_gettext("Field"),
    "value": lazy_gettext("Value"),
    "source": lazy_gettext("Source"),
}

# What the audit log says was done (its action codes) and to what kind of record.
AUDIT_LABELS: dict[str, str] = {
    "create": lazy_gettext("created"),
    "update": lazy_gettext("changed"),
    "edit": lazy_gettext("edited"),
    "cancel": lazy_gettext("cancelled"),
    "approve": lazy_gettext("approved"),
    "approved": lazy_gettext("approved"),
    "decline": lazy_gettext("declined"),
    "rejected": lazy_gettext("rejected"),
    "published": lazy_gettext("published"),
    "block": lazy_gettext("blocked"),
    "displace": lazy_gettext("cancelled for maintenance"),
    "retire": lazy_gettext("retired"),
    "revoke": lazy_gettext("revoked"),
    "withdraw": lazy_gettext("withdrawn"),
    "grant": lazy_gettext("role granted"),
    "qualify": lazy_gettext("qualification granted"),
    "disable": lazy_gettext("disabled"),
    "enable": lazy_gettext("enabled"),
    "verify": lazy_gettext("address confirmed"),
    "request": lazy_gettext("requested"),
    "propose": lazy_gettext("proposed"),
    "policy": lazy_gettext("policy set"),
    "reset_password": lazy_gettext("password reset"),
    "affiliate": lazy_gettext("affiliation set"),
    "rotate": lazy_gettext("link renewed"),
    "delete": lazy_gettext("deleted"),
    # kinds of record
    "user": lazy_gettext("account"),
    "api_token": lazy_gettext("API token"),
    "affiliation": lazy_gettext("affiliation request"),
    "profile_change": lazy_gettext("proposed change"),
    "moderation": lazy_gettext("review policy"),
    "calendar_link": lazy_gettext("calendar link"),
    "price_tier": lazy_gettext("price tier"),
    "resource_rates": lazy_gettext("rates"),
    "waitlist": lazy_gettext("waiting list"),
    "booking": lazy_gettext("booking"),
    "resource": lazy_gettext("resource"),
    "organisation": lazy_gettext("organisation"),
}


def code_label(code: object) -> str:
    """The word for a stored code in the current language (the code itself if it has none)."""
    text = str(code) if code is not None else ""
    label = CODE_LABELS.get(text)
    return str(label) if label is not None else text


def audit_label(code: object) -> str:
    """An audit log action or record type in words (unlisted codes as they are)."""
    text = str(code) if code is not None else ""
    label = AUDIT_LABELS.get(text)
    return str(label) if label is not None else text


def field_label(field: object) -> str:
    text = str(field) if field is not None else ""
    label = FIELD_LABELS.get(text)
    return str(label) if label is not None else text
