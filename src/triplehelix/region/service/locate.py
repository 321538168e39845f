"""Give an organisation row its municipality and in-region flag from the gazetteer; called
wherever a row's city, address or clusters are written (loader, registry import, unmerge)."""

from __future__ import annotations

from triplehelix.directory import models as m
from triplehelix.region.schemas.gazetteer import get_gazetteer


def locate_organisation(org: m.Organisation, municipality: str | None = None) -> None:
    gaz = get_gazetteer()
    clusters = org.tag_codes("cluster")
    located = gaz.locate(
        city=org.city, address=org.address, clusters=clusters, municipality=municipality
    )
    org.municipality = located.municipality
    org.in_region = gaz.in_region(located.municipality, clusters)
