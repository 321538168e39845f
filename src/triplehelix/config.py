"""Settings read from the environment, each declared once in `SETTINGS`.

A `Setting` names the environment variable, the `Settings` field it fills, how its text is parsed
(and checked), its default and its help. `Settings.from_env` parses every setting from that list,
and the table in docs/configuration.md is generated from it (`python -m triplehelix.config`; a
test checks the docs and the README against it). This is the one module that reads `os.environ`
for a setting: the taxonomy and gazetteer loaders ask `TAXONOMY.current()` and
`GAZETTEER.current()`, the sentence encoder `EMBEDDING_PRECISION.current()`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from triplehelix.errors import ValidationError

T = TypeVar("T")

# A default worked out from the environment and the settings parsed before it (in SETTINGS order).
Derived = Callable[[Mapping[str, str], Mapping[str, Any]], str]


class SettingError(ValidationError, ValueError):
    """A setting's value cannot be used; the message starts with the variable's name."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One environment variable: what it is called, what it fills, how it is read and documented."""

    name: str  # the environment variable, TRIPLEHELIX_...
    field: str  # the `Settings` attribute it fills
    parse: Callable[[str], T]  # its text -> the value; ValueError saying what was expected
    default: str | Derived  # the text used when it is unset (or blank, see blank_is_unset)
    help: str  # what it does (markdown): the meaning column of docs/configuration.md
    shown_default: str = ""  # the default as the docs state it; "" shows `default` (or "unset")
    blank_is_unset: bool = True  # False: a blank value is parsed as it is (flags: blank is off)

    def read(self, env: Mapping[str, str], parsed: Mapping[str, Any] | None = None) -> T:
        """The value in `env`; `parsed` holds the settings before it (for derived defaults)."""
        raw = env.get(self.name)
        if raw is None or (self.blank_is_unset and not raw.strip()):
            raw = self.default if isinstance(self.default, str) else self.default(env, parsed or {})
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise SettingError(self.name, str(exc)) from None

    def current(self) -> T:
        """The value in this process's environment (for a setting without a derived default)."""
        return self.read(os.environ)

    @property
    def documented_default(self) -> str:
        if self.shown_default:
            return self.shown_default
        return f"`{self.default}`" if isinstance(self.default, str) and self.default else "unset"


# --- parsers: text -> value; a ValueError says what was expected (the caller adds the name) ----

FLAG_ON = ("1", "true", "yes", "on")
FLAG_OFF = ("0", "false", "no", "off", "")


def _flag(value: str) -> bool:
    word = value.strip().lower()
    if word in FLAG_ON:
        return True
    if word in FLAG_OFF:
        return False
    from triplehelix.i18n import gettext as _

    raise ValueError(
        _("expected 1 or 0 (or true/false, yes/no, on/off), got %(value)s") % {"value": repr(value)}
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        from triplehelix.i18n import gettext as _

        raise ValueError(
            _("expected seconds between 0 and 3600, got %(value)s") % {"value": repr(value)}
        )
    return seconds


def _text(value: str) -> str:
    return value.strip()


def _folder(value: str) -> Path:
    return Path(value).resolve()


def _database_url(value: str) -> str:
    url = value.strip()
    try:
        make_url(url)
    except ArgumentError:
        from triplehelix.i18n import gettext as _

        # the value is not repeated: it may hold a password
        raise ValueError(
            _("expected a database URL such as %(example)s")
            % {"example": "postgresql+psycopg://user:password@host:5432/dbname"}
        ) from None
    return url


def _address(value: str) -> str:
    """An http(s) address without trailing slash; blank stays blank (the setting is off)."""
    text = value.strip().rstrip("/")
    if text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            from triplehelix.i18n import gettext as _

            raise ValueError(
                _("expected an address starting with http:// or https://, got %(value)s")
                % {"value": repr(value)}
            )
    return text


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        word = value.strip().lower()
        if word not in choices:
            from triplehelix.i18n import gettext as _

            raise ValueError(
                _("expected one of %(choices)s, got %(value)s")
                % {"choices": ", ".join(choices), "value": repr(value)}
            )
        return word

    return parse


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@lru_cache(maxsize=16)  # the loaders ask on every call; a file is looked for once per path
def _optional_file(value: str) -> str | None:
    path = value.strip()
    if not path:
        return None
    if not Path(path).is_file():
        from triplehelix.i18n import gettext as _

        raise ValueError(_("no such file: %(path)s") % {"path": path})
    return path


# --- derived defaults --------------------------------------------------------------------------


def _default_database(env: Mapping[str, str], parsed: Mapping[str, Any]) -> str:
    return f"sqlite:///{parsed['data_dir'] / 'triplehelix.db'}"


def _default_demo(env: Mapping[str, str], parsed: Mapping[str, Any]) -> str:
    # demo data by default only for the default SQLite data folder (`make run`)
    return "0" if env.get(DATABASE_URL.name) else "1"


# --- the settings, in the order of docs/configuration.md ---------------------------------------

DATA_DIR = Setting(
    "TRIPLEHELIX_DATA_DIR", "data_dir", _folder, "./var",
    "Folder for the SQLite database, the embedding cache and other files the app writes. "
    "Created when missing. Keep it outside the source tree in production.",
    blank_is_unset=False,
)  # fmt: skip
DATABASE_URL = Setting(
    "TRIPLEHELIX_DATABASE_URL", "database_url", _database_url, _default_database,
    "Any SQLAlchemy URL. For PostgreSQL use "
    "`postgresql+psycopg://user:password@host:5432/dbname`; the same models and "
    "migrations serve both. With SQLite, the writers of every process queue on a lock file "
    "beside the database (`<database>.writers`), which may stay there.",
    shown_default="`sqlite:///<data dir>/triplehelix.db`",
)  # fmt: skip
TAXONOMY = Setting(
    "TRIPLEHELIX_TAXONOMY", "taxonomy", _optional_file, "",
    "Path to a JSON file in the format of `src/triplehelix/taxonomy/taxonomy.json`. Its "
    "schemes and terms are added to the bundled taxonomy; a term with an existing code "
    "replaces it. Use it to add a region's own clusters or facility kinds.",
)  # fmt: skip
DEMO = Setting(
    "TRIPLEHELIX_DEMO", "demo", _flag, _default_demo,
    "On first start, give the open facilities of the bundled dataset a few bookable "
    "resources and create a demo facility manager and a demo member (passwords shown on "
    "the sign-in page), all marked as demo data. A real deployment leaves it off and "
    "starts without them.",
    shown_default="`1` with the default SQLite database, `0` when `TRIPLEHELIX_DATABASE_URL` "
    "is set",
    blank_is_unset=False,
)  # fmt: skip
SECRET_KEY = Setting(
    "TRIPLEHELIX_SECRET_KEY", "secret_key", _text, "",
    "Signs session cookies, CSRF tokens and the secret calendar-feed links. Set the same "
    "value on every app process behind a load balancer.",
    shown_default="generated once into `<data dir>/secret_key`",
)  # fmt: skip
SECURE_COOKIES = Setting(
    "TRIPLEHELIX_SECURE_COOKIES", "secure_cookies",
    _choice("auto", "1", "0", "true", "false", "yes", "no"), "auto",
    "Mark cookies `Secure`: `auto` when the request came over https, `1` always, `0` "
    "never. Behind a TLS-terminating proxy set `1`.",
)  # fmt: skip
GAZETTEER = Setting(
    "TRIPLEHELIX_GAZETTEER", "gazetteer", _optional_file, "",
    "Path to a gazetteer JSON file that replaces the bundled one: the region (its "
    "municipalities and clusters), each municipality's code, name and places, campus "
    "clusters and known places abroad. See docs/region.md. Organisations are located when"
    " they are loaded.",
    shown_default="unset (the bundled `src/triplehelix/data/geo/gazetteer.json`)",
)  # fmt: skip
BASE_URL = Setting(
    "TRIPLEHELIX_BASE_URL", "base_url", _address, "http://127.0.0.1:8000",
    "The site's public address (scheme, host, optional port, no trailing slash). JSON-LD "
    "`@id`s, calendar links and feed UIDs are built from it, never from the request's "
    "`Host` header, so a forged header cannot change them.",
)  # fmt: skip
TRUSTED_PROXIES = Setting(
    "TRIPLEHELIX_TRUSTED_PROXIES", "trusted_proxies", _names, "",
    "Comma-separated addresses of reverse proxies in front of the app. Only when the "
    "connecting address is one of them is `X-Forwarded-For` read, and then the right-most"
    " address that is not a trusted proxy counts (for sign-in and sign-up limits). Unset,"
    " the connecting address counts and the header is ignored.",
    shown_default="unset (none)",
)  # fmt: skip
SMTP_URL = Setting(
    "TRIPLEHELIX_SMTP_URL", "smtp_url", _text, "",
    "SMTP server for outgoing mail (introductions, digests, account mail): "
    "`smtp://user:password@host:587?starttls=1` for STARTTLS, "
    "`smtps://user:password@host:465` for TLS from the first byte, `smtp://host:25` for a"
    " local relay. Percent-encode `@` and `:` in the user name and password. Optional "
    "parameters: `cafile=/path/ca.pem` trusts a private CA, `timeout=SECONDS` (default "
    "30). Unset, or without a host, every message is written as an `.eml` file to `<data "
    "dir>/outbox` instead; region admins read them at `/admin/outbox`. A message the "
    "server refuses is kept there too, with the reason.",
)  # fmt: skip
MAIL_FROM = Setting(
    "TRIPLEHELIX_MAIL_FROM", "mail_from", _text, "triplehelix <triplehelix@localhost>",
    "The `From` address of outgoing mail.",
)  # fmt: skip
OIDC_ISSUER = Setting(
    "TRIPLEHELIX_OIDC_ISSUER", "oidc_issuer", _address, "",
    "The OpenID Connect issuer, e.g. `https://connect.surfconext.nl` (its "
    "`/.well-known/openid-configuration` is read at each sign-in). With it and a client "
    'id set, the sign-in page offers "Sign in with your institution". See '
    "[accounts.md](accounts.md#single-sign-on).",
    shown_default="unset (no single sign-on)",
)  # fmt: skip
OIDC_CLIENT_ID = Setting(
    "TRIPLEHELIX_OIDC_CLIENT_ID", "oidc_client_id", _text, "",
    "The client id the provider registered for this site.",
)  # fmt: skip
OIDC_CLIENT_SECRET = Setting(
    "TRIPLEHELIX_OIDC_CLIENT_SECRET", "oidc_client_secret", _text, "",
    "The client secret (sent with HTTP basic authentication to the token endpoint).",
)  # fmt: skip
OIDC_ORGANISATION_CLAIM = Setting(
    "TRIPLEHELIX_OIDC_ORGANISATION_CLAIM", "oidc_organisation_claim", _text,
    "schac_home_organization",
    "The ID-token claim naming the person's organisation. Its value is matched to an "
    "organisation id, or to one of an organisation's web domains (`leidenuniv.nl`); a "
    "match makes the person a verified member (via `sso`).",
)  # fmt: skip
OIDC_SCOPES = Setting(
    "TRIPLEHELIX_OIDC_SCOPES", "oidc_scopes", _text, "openid email profile",
    "Scopes asked for; add the scope your provider releases the organisation claim under.",
)  # fmt: skip
WARM = Setting(
    "TRIPLEHELIX_WARM", "warm", _flag, "1",
    "Each server process builds the matching index and the insight views' inputs and "
    "pictures when it starts; `/readyz` answers 503 until that is done, then 200. `0` "
    "skips it (the first request of each kind builds what it needs).",
    blank_is_unset=False,
)  # fmt: skip
BUSY_TIMEOUT = Setting(
    "TRIPLEHELIX_BUSY_TIMEOUT", "busy_timeout", _seconds, "30",
    "SQLite: seconds a server request waits for the database's write lock (held by "
    "another request, or a `load`/`import` beside the server) before it answers 503 with "
    "`Retry-After`.",
)  # fmt: skip
LOAD_BUNDLED = Setting(
    "TRIPLEHELIX_LOAD_BUNDLED", "load_bundled", _flag, "1",
    "When `1`, `triplehelix serve` loads the bundled Leiden dataset into an empty "
    "database. Set `0` for a deployment that loads its own region with `triplehelix "
    "load`.",
    blank_is_unset=False,
)  # fmt: skip
EMBEDDING_PRECISION = Setting(
    "TRIPLEHELIX_EMBEDDING_PRECISION", "embedding_precision",
    _choice("auto", "float32", "bfloat16"), "auto",
    "Number format of the sentence encoder's weights. `auto`: `bfloat16` on a CPU with "
    "native bfloat16 arithmetic (AVX-512 BF16 or AMX), where a match's query embedding "
    "costs about half, `float32` elsewhere. Queries and documents always use the same; the "
    "embedding cache keeps the two apart, so a change re-embeds the documents once.",
)  # fmt: skip

# Every setting the product reads. A new one: declare it here, add the `Settings` field, paste
# `python -m triplehelix.config` into docs/configuration.md and add a README row (tests check).
SETTINGS: tuple[Setting[Any], ...] = (
    DATA_DIR, DATABASE_URL, TAXONOMY, DEMO, SECRET_KEY, SECURE_COOKIES, GAZETTEER, BASE_URL,
    TRUSTED_PROXIES, SMTP_URL, MAIL_FROM, OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
    OIDC_ORGANISATION_CLAIM, OIDC_SCOPES, WARM, BUSY_TIMEOUT, LOAD_BUNDLED,
    EMBEDDING_PRECISION,
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """The parsed settings. Code and tests may build one directly: the field defaults then leave
    the optional start-up work (demo data, warming) off; `from_env` uses the declared defaults."""

    data_dir: Path
    database_url: str
    load_bundled: bool
    demo: bool = False
    secret_key: str = ""  # empty: generated once into the data folder
    secure_cookies: str = "auto"  # auto (when the request is https), 1 or 0
    base_url: str = "http://127.0.0.1:8000"
    trusted_proxies: tuple[str, ...] = ()

    oidc_issuer: str = ""  # empty: no single sign-on
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_organisation_claim: str = "schac_home_organization"
    oidc_scopes: str = "openid email profile"

    @property
    def host(self) -> str:
        """The site's host name (for calendar UIDs), from base_url."""
        return urlsplit(self.base_url).hostname or "localhost"

    smtp_url: str = ""  # empty: mail goes to the outbox folder
    mail_from: str = "triplehelix <triplehelix@localhost>"
    warm: bool = False  # build what first requests need at start-up (serve: on)
    busy_timeout: float = 30.0  # SQLite: seconds to wait for the write lock, then 503
    # the loaders read these through TAXONOMY.current() / GAZETTEER.current(); here they are
    # checked at start-up (a missing file is named before anything is served)
    taxonomy: str | None = None  # a JSON file extending the bundled taxonomy
    gazetteer: str | None = None  # a JSON gazetteer replacing the bundled one
    # read by the sentence encoder through EMBEDDING_PRECISION.current(), checked here
    embedding_precision: str = "auto"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Every declared setting from `env` (default: os.environ); SettingError names a bad one."""
        environ = os.environ if env is None else env
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            values[setting.field] = setting.read(environ, values)
        return cls(**values)


def get_settings() -> Settings:
    return Settings.from_env()


def settings_table() -> str:
    """The settings table of docs/configuration.md, from the declarations."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.documented_default} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(settings_table(), end="")
