"""Who may do what: pure checks over a user's role grants (admin > manager/editor > member)."""

from __future__ import annotations

from triplehelix.accounts.models import User
from triplehelix.errors import PermissionDeniedError
from triplehelix.i18n import gettext as _


def is_admin(user: User | None) -> bool:
    return user is not None and any(g.role == "admin" for g in user.roles)


def scopes(user: User, role: str) -> set[str]:
    return {g.scope for g in user.roles if g.role == role}


def manages_facility(user: User | None, facility_id: str) -> bool:
    return user is not None and (is_admin(user) or facility_id in scopes(user, "manager"))


def edits_organisation(user: User | None, organisation_id: str) -> bool:
    return user is not None and (is_admin(user) or organisation_id in scopes(user, "editor"))


def require_admin(user: User) -> None:
    if not is_admin(user):
        raise PermissionDeniedError(_("only a region admin may do this"))


def require_manager(user: User, facility_id: str) -> None:
    if not manages_facility(user, facility_id):
        raise PermissionDeniedError(
            _("only a manager of facility %(id)s may do this") % {"id": repr(facility_id)}
        )


def require_editor(user: User, organisation_id: str) -> None:
    if not edits_organisation(user, organisation_id):
        raise PermissionDeniedError(
            _("only an editor of organisation %(id)s may edit its profile")
            % {"id": repr(organisation_id)}
        )


def role_names(user: User) -> list[str]:
    names = ["member"]
    names += [f"{g.role} of {g.scope}" if g.scope else g.role for g in user.roles]
    return names
