"""Settings read from the environment; one place that knows every setting's name and default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
    "TRIPLEHELIX_WARM": "build the matching index when a server process starts, before /readyz "
    "says ready (1/0; default 1)",
}


def _flag(value: str) -> bool:
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    load_bundled: bool
    demo: bool = False
    secret_key: str = ""  # empty: generated once into the data folder
    secure_cookies: str = "auto"  # auto (when the request is https), 1 or 0
    warm: bool = False  # build what first requests need at start-up (serve: on)

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
            warm=_flag(env.get("TRIPLEHELIX_WARM", "1")),
        )


def get_settings() -> Settings:
    return Settings.from_env()
