"""The filters of the booking catalogue (/infrastructure): one choice per facet, as its form
sends them ("" for any), and the time window a resource must be free in.

The facets are those of the one facility catalogue, `directory.service.list_facilities`; `access`
is its `shared` facet under the words of this form.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from pydantic import BaseModel

from triplehelix.fields import DateTimeText

# The form's access choices -> the catalogue's shared facet; any other value means both.
ACCESS_SHARED = {"open": "yes", "in-house": "no", "unknown": "unknown"}


class Facets(NamedTuple):
    """The values of the catalogue's facets, in the order `list_facilities` takes them."""

    kind: list[str]
    owner: list[str]
    cluster: list[str]
    shared: list[str]


def _chosen(value: str) -> list[str]:
    return [value] if value else []


class CatalogueQuery(BaseModel):
    q: str = ""
    kind: str = ""
    owner: str = ""
    cluster: str = ""
    access: str = ""  # open, in-house, unknown or "" (anything else: both)
    free_from: DateTimeText = ""
    free_to: DateTimeText = ""

    def facets(self) -> Facets:
        shared = [ACCESS_SHARED[self.access]] if self.access in ACCESS_SHARED else []
        return Facets(_chosen(self.kind), _chosen(self.owner), _chosen(self.cluster), shared)

    def window(self) -> tuple[datetime, datetime] | None:
        """The free-from/until window, when both ends are given."""
        if not (self.free_from and self.free_to):
            return None
        return datetime.fromisoformat(self.free_from), datetime.fromisoformat(self.free_to)
