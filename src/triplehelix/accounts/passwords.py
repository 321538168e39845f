"""The password policy: long enough, and not guessable. Guessability is zxcvbn's estimate (a
maintained library with lists of common passwords, names and keyboard patterns), which also
penalises passwords built from the person's own e-mail address or name."""

from __future__ import annotations

from zxcvbn import zxcvbn

from triplehelix.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200  # argon2 hashes anything, but zxcvbn's time grows with the length
MIN_SCORE = 3  # zxcvbn 0-4; 3 is "safely unguessable: moderate protection from offline attack"


def check_password(password: str, *personal: str) -> None:
    """Raise ValidationError naming the field when the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"password: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"password: use at most {MAX_LENGTH} characters")
    if not password.strip():
        raise ValidationError("password: only spaces is not a password")
    words = [
        *personal,
        *(w for p in personal for w in p.replace("@", " ").replace(".", " ").split()),
    ]
    result = zxcvbn(password, user_inputs=words)
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "it is too easy to guess"
        raise ValidationError(f"password: too easy to guess ({hint}); try a few unrelated words")
