"""The password policy: long enough, and not guessable. Guessability is zxcvbn's estimate (a
maintained library with lists of common passwords, names and keyboard patterns), which also
penalises passwords built from the person's own e-mail address or name."""

from __future__ import annotations

from zxcvbn import zxcvbn

from triplehelix.errors import ValidationError
from triplehelix.i18n import SOURCE_LOCALE, current_locale
from triplehelix.i18n import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 200  # argon2 hashes anything, but zxcvbn's time grows with the length
MIN_SCORE = 3  # zxcvbn 0-4; 3 is "safely unguessable: moderate protection from offline attack"


def check_password(password: str, *personal: str) -> None:
    """Raise ValidationError naming the field when the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("password: " + _("use at least %(n)s characters") % {"n": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        raise ValidationError("password: " + _("use at most %(n)s characters") % {"n": MAX_LENGTH})
    if not password.strip():
        raise ValidationError("password: " + _("only spaces is not a password"))
    words = [
        *personal,
        *(w for p in personal for w in p.replace("@", " ").replace(".", " ").split()),
    ]
    result = zxcvbn(password, user_inputs=words)
    if result["score"] < MIN_SCORE:
        # zxcvbn's own hint is English: other languages get the advice without it.
        hint = result["feedback"].get("warning") or "it is too easy to guess"
        message = (
            f"too easy to guess ({hint}); try a few unrelated words"
            if current_locale() == SOURCE_LOCALE
            else _("too easy to guess; try a few unrelated words")
        )
        raise ValidationError(f"password: {message}")
