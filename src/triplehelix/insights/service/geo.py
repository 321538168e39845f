"""The region's geography as data: municipality boundaries (CBS, CC BY 4.0, read by
`region.boundaries`) and the small table of sites (addresses, campuses, towns) that places an
organisation on the map. Pure functions over those two files; no geocoding, nothing fetched from
the internet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from triplehelix.i18n import lazy_gettext
from triplehelix.insights.service.analysis import OrgRecord
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.service.boundaries import Point, read_geo
from triplehelix.region.service.boundaries import (
    municipalities as municipalities,  # geo.municipalities()
)

SITES_FILE = "sites.json"
ATTRIBUTION = lazy_gettext("Boundaries: CBS (Statistics Netherlands), CC BY 4.0")
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Campus:
    cluster: str
    name: str
    municipality: str
    at: Point


@dataclass(frozen=True)
class Sites:
    addresses: dict[str, Point]
    campuses: dict[str, Campus]
    towns: dict[str, tuple[str, Point]]  # city -> (municipality, point)


@dataclass(frozen=True)
class Placement:
    id: str
    at: Point
    how: str  # "address", "campus" or "town"
    municipality: str


@lru_cache(maxsize=1)
def sites() -> Sites:
    data = read_geo(SITES_FILE)
    return Sites(
        addresses={k: (v[0], v[1]) for k, v in data["addresses"].items()},
        campuses={
            code: Campus(code, c["name"], c["municipality"], (c["at"][0], c["at"][1]))
            for code, c in data["campuses"].items()
        },
        towns={
            city: (t["municipality"], (t["at"][0], t["at"][1])) for city, t in data["towns"].items()
        },
    )


def _address_point(address: str | None, table: dict[str, Point]) -> Point | None:
    if not address:
        return None
    lowered = address.lower()
    # Longest key first so "Zernikedreef 9" wins over the bare street.
    for key in sorted(table, key=len, reverse=True):
        street, _, town = (part.strip().lower() for part in key.partition(","))
        if lowered.startswith(street) and town in lowered:
            return table[key]
    return None


def place(org: OrgRecord, table: Sites) -> Placement | None:
    """Where to draw an organisation of the region: its address, else its campus, else its town,
    else the main town of its municipality (the gazetteer's); nowhere without a municipality."""
    gaz = get_gazetteer()
    code = org.municipality or gaz.locate(city=org.city, address=org.address, clusters=org.clusters)
    name = gaz.name(code if isinstance(code, str) else code.municipality)
    if name is None or not gaz.is_region_municipality(gaz.code(name)):
        return None
    point = _address_point(org.address, table.addresses)
    if point is not None:
        return Placement(org.id, point, "address", name)
    for cluster in org.clusters:
        campus = table.campuses.get(cluster)
        if campus is not None and campus.municipality == name:
            return Placement(org.id, campus.at, "campus", name)
    town = table.towns.get(org.city or "") or table.towns.get(name)
    if town is not None and town[0] == name:
        return Placement(org.id, town[1], "town", name)
    return None


def spread(points: list[Point], step: float = 0.0011) -> list[Point]:
    """Fan out points that share a site on a sunflower spiral so each stays visible."""
    seen: dict[Point, int] = {}
    out = []
    for lon, lat in points:
        i = seen.get((lon, lat), 0)
        seen[(lon, lat)] = i + 1
        r, angle = step * math.sqrt(i), i * GOLDEN_ANGLE
        # Degrees of longitude are shorter than of latitude this far north.
        out.append(
            (lon + r * math.cos(angle) / math.cos(math.radians(lat)), lat + r * math.sin(angle))
        )
    return out


def inside(point: Point, ring: tuple[Point, ...]) -> bool:
    """Even-odd ray casting: is the point inside the polygon ring?"""
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            result = not result
    return result


def centroid(ring: tuple[Point, ...]) -> Point:
    """The area centroid of a polygon ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        return ring[0]
    return (cx / (3 * area), cy / (3 * area))
