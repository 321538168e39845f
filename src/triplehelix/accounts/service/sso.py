"""Single sign-on with OpenID Connect (the authorisation-code flow, Authlib's client, ID tokens
checked with joserfc against the provider's published keys). A sign-in links the provider's
account (issuer + subject) to a user, creating one on first use; when the configured claim names
an organisation (by id or by one of its web domains, as SURFconext's schac_home_organization
does) the person becomes a verified member of it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts import service
from triplehelix.accounts.models import User, UserIdentity
from triplehelix.accounts.service import affiliation, audit
from triplehelix.config import Settings
from triplehelix.db import utcnow
from triplehelix.directory.models import Organisation
from triplehelix.errors import DomainError, PermissionDeniedError, ValidationError
from triplehelix.i18n import gettext as _

TIMEOUT = 10.0


class SsoError(PermissionDeniedError):
    """The provider's answer could not be trusted or used."""


@dataclass(frozen=True)
class Start:
    url: str
    state: str
    nonce: str


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def _client(settings: Settings, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(settings.oidc_client_id, settings.oidc_client_secret,
                        scope=settings.oidc_scopes, redirect_uri=redirect_uri,
                        timeout=TIMEOUT)  # fmt: skip


def _fetch(client: OAuth2Client, url: str) -> Any:
    """A plain GET (no access token yet: Authlib's client would refuse without this flag)."""
    return client.request("GET", url, withhold_token=True)


def _metadata(client: OAuth2Client, settings: Settings) -> dict[str, Any]:
    try:
        reply = _fetch(client, f"{settings.oidc_issuer}/.well-known/openid-configuration")
        reply.raise_for_status()
        found: dict[str, Any] = reply.json()
    except Exception as exc:  # network, HTTP or JSON: the provider is unusable right now
        raise SsoError(
            _("the sign-in service at %(issuer)s did not answer") % {"issuer": settings.oidc_issuer}
        ) from exc
    if found.get("issuer", "").rstrip("/") != settings.oidc_issuer:
        raise SsoError(_("the sign-in service names a different issuer"))
    return found


def start(settings: Settings, redirect_uri: str) -> Start:
    """Where to send the browser, with the state and nonce to remember until it comes back."""
    if not enabled(settings):
        raise ValidationError("single sign-on is not configured (TRIPLEHELIX_OIDC_ISSUER)")
    with _client(settings, redirect_uri) as client:
        endpoint = _metadata(client, settings)["authorization_endpoint"]
        nonce = secrets.token_urlsafe(16)
        url, state = client.create_authorization_url(endpoint, nonce=nonce)
    return Start(url=url, state=state, nonce=nonce)


def finish(settings: Settings, redirect_uri: str, code: str, nonce: str) -> dict[str, Any]:
    """Exchange the code for tokens and return the verified ID token's claims."""
    with _client(settings, redirect_uri) as client:
        meta = _metadata(client, settings)
        try:
            token = client.fetch_token(meta["token_endpoint"], code=code)
            keys = KeySet.import_key_set(_fetch(client, meta["jwks_uri"]).json())
            decoded = jwt.decode(str(token["id_token"]), keys)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": settings.oidc_issuer},
                aud={"essential": True, "value": settings.oidc_client_id},
                nonce={"essential": True, "value": nonce},
                sub={"essential": True}, exp={"essential": True},
            ).validate(decoded.claims)  # fmt: skip
        except (JoseError, KeyError, ValueError) as exc:
            raise SsoError(
                _("the sign-in could not be verified (%(reason)s)") % {"reason": exc}
            ) from exc
        except DomainError:
            raise
        except Exception as exc:  # the OAuth library's errors (bad code, refused client)
            raise SsoError(
                _("the sign-in service refused the sign-in (%(reason)s)") % {"reason": exc}
            ) from exc
    return dict(decoded.claims)


def organisation_for(session: Session, value: str) -> Organisation | None:
    """The organisation a claim value names: its id, or one of its web domains."""
    value = value.strip().lower()
    if not value:
        return None
    org = session.get(Organisation, value)
    if org is not None:
        return org
    host = value.rsplit("@", 1)[-1]
    for candidate in session.scalars(select(Organisation).order_by(Organisation.id)):
        if host in affiliation.email_domains(session, candidate):
            return candidate
    return None


def sign_in(session: Session, settings: Settings, claims: dict[str, Any]) -> User:
    """The user for these verified claims: linked before, else by verified e-mail, else new."""
    issuer, subject = settings.oidc_issuer, str(claims["sub"])
    link = session.scalar(select(UserIdentity).where(
        UserIdentity.issuer == issuer, UserIdentity.subject == subject))  # fmt: skip
    user = session.get(User, link.user_id) if link else None
    email = str(claims.get("email") or "")
    if user is None:
        if not email or claims.get("email_verified") is False:
            raise SsoError(_("the sign-in service gave no confirmed e-mail address"))
        user = session.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            user = service.create_sso_user(session, email, str(claims.get("name") or ""))
        session.add(UserIdentity(user_id=user.id, issuer=issuer, subject=subject))
        audit.record(session, None, "link", "user", user.id, None, {"issuer": issuer})
    if user.disabled_at is not None:
        raise PermissionDeniedError(_("this account is disabled; ask the region office"))
    user.email_verified_at = user.email_verified_at or utcnow()
    org = organisation_for(session, str(claims.get(settings.oidc_organisation_claim) or ""))
    if org is not None and (user.organisation_id, user.affiliation_via) != (org.id, "sso"):
        affiliation.set_affiliation(session, None, user, org.id, "sso")
    return user
