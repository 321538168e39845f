"""The lower-cased text the directory's keyword filter searches, derived from an organisation."""

from __future__ import annotations

from triplehelix.directory import models as m
from triplehelix.taxonomy import get_taxonomy

SCHEMES = {"cluster": "cluster", "value_chain": "value_chain", "modality": "modality"}


def organisation_search_text(org: m.Organisation) -> str:
    tax = get_taxonomy()
    parts = [org.name, org.city or "", org.summary or ""]
    parts += [a.name for a in org.aliases]
    parts += [s.text for s in org.services]
    for tag in org.tags:
        parts.append(tag.code.replace("-", " ").replace("_", " "))
        if tag.scheme in SCHEMES:
            parts.append(tax.label(SCHEMES[tag.scheme], tag.code, "en"))
    parts.append(tax.label("organisation_kind", org.kind, "en"))
    return " ".join(p for p in parts if p).lower()
