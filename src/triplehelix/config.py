"""Settings read from the environment; one place that knows every setting's name and default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Every setting the product reads; docs/configuration.md documents each (a test checks).
SETTINGS_DOC: dict[str, str] = {
    "TRIPLEHELIX_DATA_DIR": "folder for the SQLite database and caches (default ./var)",
    "TRIPLEHELIX_DATABASE_URL": "SQLAlchemy URL (default sqlite:///<data dir>/triplehelix.db)",
    "TRIPLEHELIX_TAXONOMY": "JSON file extending the bundled taxonomy with regional terms",
    "TRIPLEHELIX_LOAD_BUNDLED": "load the bundled dataset into an empty database on serve (1/0)",
    "TRIPLEHELIX_DEMO": "on first start add demo bookable resources and demo accounts (1/0; "
    "default 1 with the default SQLite database, 0 when TRIPLEHELIX_DATABASE_URL is set)",
    "TRIPLEHELIX_SECRET_KEY": "key signing session cookies, CSRF tokens and calendar links "
    "(default: generated once into <data dir>/secret_key)",
    "TRIPLEHELIX_SECURE_COOKIES": "mark cookies Secure: auto (when the request is https), 1 or 0",
    "TRIPLEHELIX_GAZETTEER": "JSON gazetteer (places -> municipalities, the region) replacing the "
    "bundled Leiden one",
    "TRIPLEHELIX_BASE_URL": "the public address of the site, used for links in JSON-LD, feeds and "
    "e-mail, never the request's Host header (default http://127.0.0.1:8000)",
    "TRIPLEHELIX_TRUSTED_PROXIES": "comma-separated addresses of reverse proxies whose "
    "X-Forwarded-For is believed (default: none, the connecting address counts)",
    "TRIPLEHELIX_SMTP_URL": "SMTP server for outgoing mail, smtp://user:pass@host:587?starttls=1 "
    "or smtps://host:465 (unset: mail is written to <data dir>/outbox)",
    "TRIPLEHELIX_MAIL_FROM": "sender address of outgoing mail (default triplehelix@localhost)",
    "TRIPLEHELIX_OIDC_ISSUER": "OpenID Connect issuer URL for single sign-on (unset: no SSO)",
    "TRIPLEHELIX_OIDC_CLIENT_ID": "client id registered with the OpenID provider",
    "TRIPLEHELIX_OIDC_CLIENT_SECRET": "client secret registered with the OpenID provider",
    "TRIPLEHELIX_OIDC_ORGANISATION_CLAIM": "claim naming the person's organisation, matched to an "
    "organisation id or web domain (default schac_home_organization)",
    "TRIPLEHELIX_OIDC_SCOPES": "scopes asked for (default: openid email profile)",
    "TRIPLEHELIX_BUSY_TIMEOUT": "SQLite: seconds a server request waits for the database's write "
    "lock before it answers 503 with Retry-After (default 30)",
    "TRIPLEHELIX_WARM": "build the matching index and the insight views when a server process "
    "starts, before /readyz says ready (1/0; default 1)",
}


def _flag(value: str) -> bool:
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


def _seconds(name: str, value: str | None, default: float = 30.0) -> float:
    if value is None or not value.strip():
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ValueError(f"{name}: expected seconds between 0 and 3600, got {value!r}")
    return seconds


@dataclass(frozen=True)
class Settings:
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

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        data_dir = Path(env.get("TRIPLEHELIX_DATA_DIR", "var")).resolve()
        url = env.get("TRIPLEHELIX_DATABASE_URL") or f"sqlite:///{data_dir / 'triplehelix.db'}"
        # demo data by default only for the default SQLite data folder (`make run`)
        demo = env.get("TRIPLEHELIX_DEMO", "0" if env.get("TRIPLEHELIX_DATABASE_URL") else "1")
        return cls(
            data_dir=data_dir,
            database_url=url,
            load_bundled=_flag(env.get("TRIPLEHELIX_LOAD_BUNDLED", "1")),
            demo=_flag(demo),
            secret_key=env.get("TRIPLEHELIX_SECRET_KEY", "").strip(),
            secure_cookies=env.get("TRIPLEHELIX_SECURE_COOKIES", "auto").strip().lower(),
            base_url=env.get("TRIPLEHELIX_BASE_URL", "").strip().rstrip("/")
            or "http://127.0.0.1:8000",
            trusted_proxies=tuple(
                p.strip()
                for p in env.get("TRIPLEHELIX_TRUSTED_PROXIES", "").split(",")
                if p.strip()
            ),
            oidc_issuer=env.get("TRIPLEHELIX_OIDC_ISSUER", "").strip().rstrip("/"),
            oidc_client_id=env.get("TRIPLEHELIX_OIDC_CLIENT_ID", "").strip(),
            oidc_client_secret=env.get("TRIPLEHELIX_OIDC_CLIENT_SECRET", "").strip(),
            oidc_organisation_claim=env.get("TRIPLEHELIX_OIDC_ORGANISATION_CLAIM", "").strip()
            or Settings.oidc_organisation_claim,
            oidc_scopes=env.get("TRIPLEHELIX_OIDC_SCOPES", "").strip() or Settings.oidc_scopes,
            smtp_url=env.get("TRIPLEHELIX_SMTP_URL", "").strip(),
            mail_from=env.get("TRIPLEHELIX_MAIL_FROM", "").strip() or Settings.mail_from,
            warm=_flag(env.get("TRIPLEHELIX_WARM", "1")),
            busy_timeout=_seconds("TRIPLEHELIX_BUSY_TIMEOUT", env.get("TRIPLEHELIX_BUSY_TIMEOUT")),
        )


def get_settings() -> Settings:
    return Settings.from_env()
