"""The region's municipality boundaries (CBS, CC BY 4.0) with their population, read from the
bundled GeoJSON; the insights map draws them, the municipality pages quote the population."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

BOUNDARIES_FILE = "key_region_municipalities.geojson"

Point = tuple[float, float]  # (longitude, latitude)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    population: int | None
    rings: tuple[tuple[Point, ...], ...]  # outer rings of the polygons, lon/lat


def read_geo(name: str) -> Any:
    """A bundled geography file (src/triplehelix/data/geo), parsed."""
    path = resources.files("triplehelix").joinpath("data", "geo", name)
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    out = []
    for feature in read_geo(BOUNDARIES_FILE)["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = tuple(tuple((float(x), float(y)) for x, y in poly[0]) for poly in polygons)
        population = props.get("aantalInwoners_2023") or props.get("inwoners")
        out.append(Municipality(props["statcode"], props["statnaam"], population, rings))
    return tuple(sorted(out, key=lambda m: m.name))
