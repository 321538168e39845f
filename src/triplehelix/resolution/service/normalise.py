"""Pure text helpers for entity resolution: fold names, split off acronyms and qualifiers, domains.

Names from the directory and from registries differ in accents, legal forms ("B.V.", "Stichting"),
bracketed qualifiers ("(Netherlands)", "(Leiden site)") and bracketed acronyms ("(LUMC)"). These
functions turn a name into comparable keys without any database access.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from triplehelix.ingest.service.ror import host_of

# Legal forms and filler words that never distinguish two organisations.
_NOISE_WORDS = "b v bv n nv inc ltd llc plc gmbh ag sa se the de het of for and en van voor der"
NOISE = frozenset(f"{_NOISE_WORDS} stichting vereniging group holding co".split(" "))
_HOME = frozenset({"", "en", "nl", "home", "index.html", "index.htm", "index.php"})
_PAREN = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[a-z0-9]+")
# GeoNames gives places like "Noordwijk-Binnen", "Delft Municipality", "Gemeente Maastricht";
# the directory writes "Katwijk (Valkenburg)". Reduce all to the municipality word.
_CITY_NOISE = re.compile(r"\b(municipality|gemeente|binnen|aan zee|city)\b|\(.*?\)|-")


@lru_cache(maxsize=4096)  # a record's name is folded for its profile and again for its slug
def fold(text: str) -> str:
    """Lower case, accents removed, `&` spelt out, punctuation to single spaces."""
    plain = (
        text
        if text.isascii()
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    return " ".join(_WORD.findall(plain.lower().replace("&", " and ")))


def tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in fold(text).split() if t not in NOISE)


def core(text: str) -> str:
    """A comparison key: folded words without legal forms, in order."""
    return " ".join(t for t in fold(text).split() if t not in NOISE)


def is_acronym(text: str) -> bool:
    """ "LUMC", "NWO", "MinDef", "NLeSC": one short word, mostly capitals."""
    word = text.strip()
    if not word or " " in word or len(word) > 8 or len(word) < 2:
        return False
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters)


def split_name(name: str) -> tuple[list[str], list[str]]:
    """A name -> (name variants, acronyms).

    "Centre for Human Drug Research (CHDR)" -> (["Centre for Human Drug Research"], ["CHDR"]);
    "NWO (Dutch Research Council)" -> (["Dutch Research Council"], ["NWO"]);
    "Alrijne Ziekenhuis (Leiden)" -> (["Alrijne Ziekenhuis"], []): a qualifier is dropped.
    """
    if "(" in name:
        inside = [p.strip() for p in _PAREN.findall(name) if p.strip()]
        outside = " ".join(_PAREN.sub(" ", name).split())
    else:  # most names: no brackets to look into
        inside, outside = [], " ".join(name.split())
    names: list[str] = []
    acronyms: list[str] = []
    if is_acronym(outside):
        acronyms.append(outside)
    elif outside:
        names.append(outside)
    for part in inside:
        if is_acronym(part):
            acronyms.append(part)
        elif acronyms and not names and len(part.split()) > 1:
            names.append(part)  # "NWO (Dutch Research Council)": the bracket holds the name
    # one-word brackets ("(Netherlands)", "(Leiden)") are qualifiers and are dropped
    return names or [outside or name], acronyms


def city_key(city: str | None) -> str | None:
    if not city:
        return None
    key = fold(_CITY_NOISE.sub(" ", city.lower()))
    return key or None


def registered_domain(host: str) -> str:
    """The last two labels of a host: "hmc.heerema.com" -> "heerema.com" (fine for .nl/.com)."""
    parts = host.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def site_of(url: str | None) -> tuple[str | None, bool]:
    """(host, whole_site): a link with a path ("esa.int/About_Us/ESTEC") names a section only."""
    host = host_of(url)
    if host is None or url is None:
        return None, False
    rest = url.split("//", 1)[-1].split("/", 1)
    path = rest[1].strip("/") if len(rest) > 1 else ""
    return host, all(part in _HOME for part in path.split("/"))
