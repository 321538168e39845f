"""The post form of the pages: text fields in, `PostFields` out, each bad value named."""

from __future__ import annotations

from datetime import date

from triplehelix.errors import ValidationError
from triplehelix.i18n import gettext as _
from triplehelix.marketplace.models import Post
from triplehelix.marketplace.schemas.fields import PostFields


def _trl(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise ValidationError(
            "trl: " + _("%(value)s is not a number from 1 to 9") % {"value": repr(value)}
        )
    return int(value)


def _date(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(
            "expires: " + _("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(value)}
        ) from exc


def form_fields(values: dict[str, str | list[str]]) -> PostFields:
    """From the form's values: strings, and lists for the checkbox groups."""

    def one(name: str) -> str:
        value = values.get(name, "")
        return value if isinstance(value, str) else ""

    def many(name: str) -> list[str]:
        value = values.get(name, [])
        return [v for v in value if v] if isinstance(value, list) else []

    return PostFields(
        type=one("type"), title=one("title"), text=one("text"), domains=many("domains"),
        stages=many("stages"), partnership=many("partnership"), trl=_trl(one("trl")),
        ip_status=one("ip_status"), location=one("location"), expires=_date(one("expires")),
        contact_public=one("contact_public") == "1",
    )  # fmt: skip


def post_values(post: Post) -> dict[str, str | list[str]]:
    """A stored post as form values (to edit it)."""
    return {
        "type": post.type, "title": post.title, "text": post.text, "domains": list(post.domains),
        "stages": list(post.stages), "partnership": list(post.partnership),
        "trl": str(post.trl or ""), "ip_status": post.ip_status, "location": post.location,
        "expires": post.expires.isoformat(), "contact_public": "1" if post.contact_public else "",
    }  # fmt: skip
