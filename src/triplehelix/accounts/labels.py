"""The words pages show for stored codes (booking states, roles, moderation modes, periods...).

The codes themselves stay as they are in the database and the API; only what a person reads is
translated, in the request's language. Templates call `code_label(code)` (registered in
`accounts/web.py`); a code without a label is shown as it is.
"""

from __future__ import annotations

from triplehelix.i18n import lazy_gettext as _l

CODE_LABELS: dict[str, str] = {
    # booking and waiting-list states, and the week view's cells
    "pending": _l("pending"),
    "confirmed": _l("confirmed"),
    "declined": _l("declined"),
    "cancelled": _l("cancelled"),
    "offered": _l("offered"),
    "waiting": _l("waiting"),
    "free": _l("free"),
    "closed": _l("closed"),
    "maintenance": _l("maintenance"),
    "booking": _l("booking"),
    # review of matches and duplicates
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
    # roles
    "member": _l("member"),
    "editor": _l("editor"),
    "manager": _l("manager"),
    "admin": _l("region admin"),
    # how an affiliation was verified
    "email": _l("by e-mail domain"),
    "approval": _l("approved"),
    "sso": _l("institution sign-in"),
    # moderation modes and kinds of change
    "publish": _l("publish at once"),
    "review": _l("review first"),
    "edit": _l("edit"),
    "claim": _l("claim"),
    "add": _l("new organisation"),
    "published": _l("published"),
    # utilisation periods and groups
    "week": _l("week"),
    "month": _l("month"),
    "resource": _l("resource"),
    "organisation": _l("organisation"),
    "project": _l("project"),
}

FIELD_LABELS: dict[str, str] = {
    "summary": _l("Description"),
    "website": _l("Website"),
    "services": _l("Services"),
    "city": _l("City"),
    "address": _l("Address"),
    "value_chain": _l("Value-chain stages"),
    "modality": _l("Modalities"),
    "domain": _l("Domains"),
    "identifiers": _l("Identifiers"),
}


def code_label(code: object) -> str:
    """The word for a stored code in the current language (the code itself if it has none)."""
    text = str(code) if code is not None else ""
    label = CODE_LABELS.get(text)
    return str(label) if label is not None else text


def field_label(field: object) -> str:
    text = str(field) if field is not None else ""
    label = FIELD_LABELS.get(text)
    return str(label) if label is not None else text
