"""Secrets: argon2 password hashing, random tokens stored as SHA-256 hashes, and the signing key
behind session cookies, CSRF tokens and calendar feed links."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, Signer

from triplehelix.config import Settings

_hasher = PasswordHasher()
# Verifying against this when the email is unknown keeps the timing of both answers alike.
_DUMMY_HASH = _hasher.hash("not a real password")
TOKEN_PREFIX = "th_"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough (and fast on every request)."""
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=4)
def _secret_key(data_dir: Path, from_env: str) -> str:
    if from_env:
        return from_env
    path = data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def secret_key(settings: Settings) -> str:
    """TRIPLEHELIX_SECRET_KEY, or a key generated once into the data folder."""
    return _secret_key(settings.data_dir, settings.secret_key)


def signer(settings: Settings, purpose: str) -> Signer:
    return Signer(secret_key(settings), salt=f"triplehelix.{purpose}")


def unsign(settings: Settings, purpose: str, value: str) -> str | None:
    try:
        return signer(settings, purpose).unsign(value).decode()
    except BadSignature:
        return None


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
