"""The gazetteer: places and addresses -> CBS municipality, and what the region is made of.

Data, not code: `data/geo/gazetteer.json` for the Leiden region; a region brings its own file with
the TRIPLEHELIX_GAZETTEER setting. Pure functions; nothing is geocoded or fetched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from triplehelix.config import GAZETTEER

POSTCODE = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class MunicipalityEntry:
    code: str
    name: str
    places: tuple[str, ...]
    in_region: bool


@dataclass(frozen=True)
class Located:
    """Where a record is: its municipality code (or None), how that was found, and a country
    when the place is a known place abroad."""

    municipality: str | None
    how: str  # "record", "city", "address", "campus" or "unknown"
    country: str | None = None


@dataclass(frozen=True)
class Gazetteer:
    region: str
    # The organisation id of the region's partnership: its members (member_of) are the partners.
    partnership: str | None
    region_municipalities: tuple[str, ...]
    region_clusters: tuple[str, ...]
    municipalities: dict[str, MunicipalityEntry]
    campuses: dict[str, str]  # cluster code -> municipality code
    outside: dict[str, str]  # place key -> country
    _places: dict[str, str]  # place key -> municipality code

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gazetteer:
        region = data["region"]
        in_region = set(region["municipalities"])
        entries = {
            code: MunicipalityEntry(code, body["name"], tuple(body["places"]), code in in_region)
            for code, body in data["municipalities"].items()
        }
        unknown = sorted(in_region - set(entries)) + sorted(
            m for m in data.get("campuses", {}).values() if m not in entries
        )
        if unknown:
            raise ValueError(f"gazetteer: unknown municipality code(s) {', '.join(unknown)}")
        places: dict[str, str] = {}
        for entry in entries.values():
            for place in (entry.name, *entry.places):
                places[place_key(place)] = entry.code
        return cls(
            region=region["name"],
            partnership=region.get("partnership"),
            region_municipalities=tuple(region["municipalities"]),
            region_clusters=tuple(region.get("clusters", [])),
            municipalities=entries,
            campuses=dict(data.get("campuses", {})),
            outside={place_key(k): v for k, v in data.get("outside", {}).items()},
            _places=places,
        )

    def name(self, code: str | None) -> str | None:
        entry = self.municipalities.get(code) if code else None
        return entry.name if entry else None

    def is_region_municipality(self, code: str | None) -> bool:
        return code in self.region_municipalities

    def code(self, value: str) -> str | None:
        """A municipality given by code or by any of its place names."""
        return value if value in self.municipalities else self.place(value)

    def place(self, text: str | None) -> str | None:
        """The municipality code of a place name as written, or None when not listed."""
        return self._places.get(place_key(text)) if text else None

    def knows(self, text: str) -> bool:
        """Is this place listed, as a municipality's place or as a place abroad?"""
        key = place_key(text)
        return key in self._places or key in self.outside

    def address(self, text: str | None) -> str | None:
        """The municipality of an address: the town after its postcode or last comma."""
        if not text:
            return None
        cleaned = PARENTHESES.sub("", text)
        for part in reversed(cleaned.split(",")):
            town = POSTCODE.sub("", part).strip()
            code = self.place(town)
            if code:
                return code
        return None

    def locate(
        self,
        *,
        city: str | None,
        address: str | None,
        clusters: Iterable[str],
        municipality: str | None = None,
    ) -> Located:
        """A record's municipality: given on the record, else from its city, its address or
        (with neither) the campus of one of its clusters."""
        if municipality:
            return Located(municipality, "record")
        if city:
            code = self.place(city) or self.address(city)
            if code:
                return Located(code, "city")
            country = self.outside.get(place_key(city))
            if country or not address:
                return Located(None, "city" if country else "unknown", country)
        code = self.address(address)
        if code:
            return Located(code, "address")
        if not city:
            for cluster in clusters:
                if cluster in self.campuses:
                    return Located(self.campuses[cluster], "campus")
        return Located(None, "unknown")

    def in_region(self, municipality: str | None, clusters: Iterable[str]) -> bool:
        """In the region: its municipality is one of the region's, or it is in a region cluster."""
        return self.is_region_municipality(municipality) or any(
            c in self.region_clusters for c in clusters
        )


def place_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w']+", " ", text.lower()).split())


def _bundled() -> dict[str, Any]:
    path = resources.files("triplehelix").joinpath("data", "geo", "gazetteer.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    data = json.loads(Path(path).read_text("utf-8")) if path else _bundled()
    return Gazetteer.from_dict(data)


def get_gazetteer() -> Gazetteer:
    """The gazetteer of the TRIPLEHELIX_GAZETTEER setting, else the bundled Leiden one."""
    return load_gazetteer(GAZETTEER.current())
