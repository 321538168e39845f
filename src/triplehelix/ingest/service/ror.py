"""Read Research Organization Registry (ROR) JSON Lines, schema v2 and v1, into one flat shape.

ROR publishes one JSON object per organisation; the two schema versions name the same facts
differently (v2 `names[]`/`locations[]`/`domains`, v1 `name`/`aliases`/`acronyms`/`labels`/
`addresses`). `parse_ror_record` turns either into a `RorRecord`; `read_ror_lines` walks a file
and yields each line's record or a problem naming the line, so one bad line never loses the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from triplehelix.ingest.service.lines import LineError, read_json_lines

ROR_PREFIX = "https://ror.org/"
# ROR external id types -> our identifier schemes (OrgRef is retired upstream; dropped).
EXTERNAL_SCHEMES = {"wikidata": "wikidata", "grid": "grid", "isni": "isni", "fundref": "fundref"}


@dataclass(frozen=True)
class RorRecord:
    ror_id: str  # the bare id, e.g. "05xvt9f17"
    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    status: str = "active"
    city: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lng: float | None = None
    domains: tuple[str, ...] = ()
    website: str | None = None
    established: int | None = None
    # (kind, bare ror id) with kind lower-cased: parent, child, related, successor, predecessor
    relationships: tuple[tuple[str, str], ...] = ()
    external_ids: tuple[tuple[str, str], ...] = ()
    last_modified: str | None = None
    fingerprint: str = field(default="", compare=False)

    @property
    def url(self) -> str:
        return ROR_PREFIX + self.ror_id

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class RorFormatError(ValueError):
    """A line that is JSON but not a ROR record we understand; the message names the field."""


# The id after https://ror.org/: letters and digits only (a `javascript:` link is not an id).
ROR_ID = re.compile(r"^[0-9a-z]{1,40}$")


def bare_id(value: str) -> str:
    return value.strip().removeprefix(ROR_PREFIX).removeprefix("ror.org/")


# "https://www.example.nl/a", "//example.nl:8080": the common shapes, read without urlsplit (which
# dominated profile building); anything else (user info, IPv6, odd characters) goes to urlsplit.
_PLAIN_LINK = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#]|\Z)")


def host_of(url: str | None) -> str | None:
    """The host of a link without `www.`; None for an empty link."""
    if not url:
        return None
    link = url if "//" in url else "//" + url
    plain = _PLAIN_LINK.match(link)
    host = plain.group(1) if plain else urlsplit(link).hostname or ""
    return host.lower().removeprefix("www.") or None


def _fingerprint(raw: dict[str, Any], text: str | None) -> str:
    if text is None:
        text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _v2(raw: dict[str, Any]) -> dict[str, Any]:
    names = raw.get("names") or []
    display = [n["value"] for n in names if "ror_display" in n.get("types", [])]
    if not display:
        raise RorFormatError("names: no name of type ror_display")
    acronyms = [n["value"] for n in names if "acronym" in n.get("types", [])]
    aliases = [
        n["value"] for n in names if n["value"] not in display and n["value"] not in acronyms
    ]
    place = (raw.get("locations") or [{}])[0].get("geonames_details") or {}
    website = next((lk["value"] for lk in raw.get("links") or [] if lk["type"] == "website"), None)
    ext = [
        (e["type"].lower(), e.get("preferred") or _first(e.get("all")))
        for e in raw.get("external_ids") or []
    ]
    modified = ((raw.get("admin") or {}).get("last_modified") or {}).get("date")
    return dict(
        name=display[0], aliases=aliases, acronyms=acronyms, city=place.get("name"),
        country_code=place.get("country_code"), lat=place.get("lat"), lng=place.get("lng"),
        domains=[d.lower() for d in raw.get("domains") or []], website=website,
        external_ids=ext, last_modified=modified,
    )  # fmt: skip


def _first(values: Any) -> str | None:
    if isinstance(values, list):
        return str(values[0]) if values else None
    return str(values) if values else None


def _v1(raw: dict[str, Any]) -> dict[str, Any]:
    if not raw.get("name"):
        raise RorFormatError("name: missing")
    address = (raw.get("addresses") or [{}])[0]
    labels = [lb["label"] for lb in raw.get("labels") or []]
    ext = [
        (k.lower(), v.get("preferred") or _first(v.get("all")))
        for k, v in (raw.get("external_ids") or {}).items()
    ]
    links = raw.get("links") or []
    return dict(
        name=raw["name"], aliases=list(raw.get("aliases") or []) + labels,
        acronyms=list(raw.get("acronyms") or []), city=address.get("city"),
        country_code=(raw.get("country") or {}).get("country_code"), lat=address.get("lat"),
        lng=address.get("lng"), domains=[], website=links[0] if links else None,
        external_ids=ext, last_modified=None,
    )  # fmt: skip


def parse_ror_record(raw: Any, text: str | None = None) -> RorRecord:
    """One decoded JSON object -> RorRecord; raises RorFormatError naming the bad field.

    `text`, the line as read, gives the content hash cheaply (same line = unchanged record).
    """
    if not isinstance(raw, dict):
        raise RorFormatError("not a JSON object")
    if not isinstance(raw.get("id"), str) or not ROR_ID.match(bare_id(raw["id"])):
        raise RorFormatError("id: missing or not a ROR id (https://ror.org/ + letters and digits)")
    try:
        fields = _v2(raw) if "names" in raw else _v1(raw)
        relationships = tuple(
            (str(r["type"]).lower(), bare_id(r["id"])) for r in raw.get("relationships") or []
        )
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise RorFormatError(f"unexpected shape near {exc!s}") from exc
    if not str(fields["name"] or "").strip():
        raise RorFormatError("name: blank")
    established = raw.get("established")
    return RorRecord(
        ror_id=bare_id(raw["id"]),
        name=fields["name"].strip(),
        aliases=_unique(fields["aliases"]),
        acronyms=_unique(fields["acronyms"]),
        types=tuple(str(t).lower() for t in raw.get("types") or []),
        status=str(raw.get("status") or "active").lower(),
        city=fields["city"],
        country_code=fields["country_code"],
        lat=fields["lat"],
        lng=fields["lng"],
        domains=_unique(fields["domains"]),
        website=fields["website"] or None,
        established=established if isinstance(established, int) else None,
        relationships=relationships,
        external_ids=tuple(
            (EXTERNAL_SCHEMES[s], str(v))
            for s, v in fields["external_ids"]
            if s in EXTERNAL_SCHEMES and v
        ),
        last_modified=fields["last_modified"],
        fingerprint=_fingerprint(raw, text),
    )


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def read_ror_lines(path: Path) -> Iterator[tuple[int, RorRecord | LineProblem]]:
    """Yield (line number, record or problem) for every non-blank line of a JSON Lines file."""
    for number, value, text in read_json_lines(path):
        if isinstance(value, LineError):
            text = f"not valid JSON ({value.json_error})" if value.json_error else value.message
            yield number, LineProblem(number, text)
            continue
        try:
            yield number, parse_ror_record(value, text)
        except RorFormatError as exc:
            yield number, LineProblem(number, str(exc))


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())
